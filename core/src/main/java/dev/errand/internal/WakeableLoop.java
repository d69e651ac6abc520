package dev.errand.internal;

import dev.errand.EngineTimer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one piece of work on a daemon thread of its own when woken, and at least once per poll
 * interval while started. Never two runs at once; wakes arriving while a run is queued are merged
 * into it, and a wake during a run queues one more.
 */
final class WakeableLoop {
  private final ExecutorService thread;
  private final EngineTimer timer;
  private final Duration pollInterval;
  private final Runnable work;
  private final AtomicBoolean queued = new AtomicBoolean();
  private volatile boolean running;

  WakeableLoop(String threadName, EngineTimer timer, Duration pollInterval, Runnable work) {
    this.thread = Executors.newSingleThreadExecutor(daemonThreads(threadName));
    this.timer = timer;
    this.pollInterval = pollInterval;
    this.work = work;
  }

  /** Threads named {@code name-1}, {@code name-2}, ... that do not keep the JVM alive. */
  static ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  void start() {
    running = true;
    poll();
  }

  /** Stops waking and polling; a queued run still runs. */
  void stop() {
    running = false;
  }

  boolean isRunning() {
    return running;
  }

  /** Queues a run, unless one is queued already. */
  void wake() {
    if (running && queued.compareAndSet(false, true)) {
      try {
        thread.execute(this::run);
      } catch (RejectedExecutionException e) {
        queued.set(false); // closing
      }
    }
  }

  /**
   * Stops, and waits up to {@code bound} for a run under way to finish, so that nothing of this
   * loop touches the store once this returns.
   *
   * @return false if the run under way was still going when the bound ran out
   */
  boolean close(Duration bound) {
    running = false;
    return Shutdowns.shutdownAndWait(thread, bound);
  }

  private void run() {
    queued.set(false);
    work.run();
  }

  private void poll() {
    if (running) {
      wake();
      timer.schedule(pollInterval, this::poll);
    }
  }
}
