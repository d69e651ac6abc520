package dev.errand;

import java.time.Duration;

/**
 * The engine's only way to wait: it runs timed work (claim polls, heartbeats, lease recovery,
 * timeouts) through this seam, so tests can move time instead of sleeping. The default runs
 * heartbeats on a daemon thread of their own and the rest on two more; a test passes a timer driven
 * by a manual clock.
 */
public interface EngineTimer {
  /**
   * A monotonic reading in nanoseconds, by which the engine measures how long the leases it holds
   * have left: a run whose lease may have passed (its process was paused, or its heartbeats could
   * not get through) stops before it starts another step. Only differences between readings mean
   * anything. The default is {@link System#nanoTime()}, which goes on while a process is paused.
   */
  default long nanoTime() {
    return System.nanoTime();
  }

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
