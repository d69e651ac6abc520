package dev.errand.internal;

import dev.errand.EngineTimer;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine's own timer: two daemon threads, so a slow store call does not hold up the rest. */
final class ThreadPoolTimer implements EngineTimer, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ThreadPoolTimer.class);

  private final ScheduledThreadPoolExecutor executor;

  ThreadPoolTimer(String name) {
    AtomicInteger count = new AtomicInteger();
    executor =
        new ScheduledThreadPoolExecutor(
            2,
            r -> {
              Thread t = new Thread(r, name + "-timer-" + count.incrementAndGet());
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

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
