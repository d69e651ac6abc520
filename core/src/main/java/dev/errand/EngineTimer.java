package dev.errand;

import java.time.Duration;

/**
 * The engine's only way to wait: it runs timed work (claim polls, heartbeats, lease recovery,
 * timeouts) through this seam, so tests can move time instead of sleeping. The default runs on two
 * daemon threads; a test passes a timer driven by a manual clock.
 */
public interface EngineTimer {
  /**
   * Runs {@code task} once, after {@code delay}, on a timer thread. Implementations are
   * thread-safe; a task that throws does not stop the timer.
   *
   * @return a handle that cancels the task if it has not started
   */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that can still be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not started; does nothing otherwise. */
    void cancel();
  }
}
