package dev.errand.internal;

import dev.errand.EngineTimer;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's own timers: daemon threads running timed work. The engine has one of two threads for
 * claims, recovery, timeouts and polls, and one of its own for heartbeats, so that no slow store
 * call of other work delays a lease renewal.
 */
final class ThreadPoolTimer implements EngineTimer {
  private static final Logger log = LoggerFactory.getLogger(ThreadPoolTimer.class);

  private final ScheduledThreadPoolExecutor executor;

  ThreadPoolTimer(String name, int threads) {
    AtomicInteger count = new AtomicInteger();
    executor =
        new ScheduledThreadPoolExecutor(
            threads,
            r -> {
              Thread t = new Thread(r, name + "-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> future =
        executor.schedule(() -> runLogged(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  private static void runLogged(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      log.error("timed task failed", e);
    }
  }

  /**
   * Drops the work not started yet and waits up to {@code bound} for the work under way, without
   * interrupting it (an interrupt inside file I/O can close an embedded database).
   *
   * @return false if work was still going when the bound ran out
   */
  boolean close(Duration bound) {
    return Shutdowns.shutdownAndWait(executor, bound);
  }
}
