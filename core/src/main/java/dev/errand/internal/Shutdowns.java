package dev.errand.internal;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stops an executor the engine owns without interrupting its work (an interrupt inside file I/O can
 * close an embedded database), and waits a bounded time for the work under way.
 */
final class Shutdowns {
  private Shutdowns() {}

  /**
   * @return false if work was still going when the bound ran out, or the wait was interrupted
   */
  static boolean shutdownAndWait(ExecutorService executor, Duration bound) {
    executor.shutdown();
    try {
      return executor.awaitTermination(bound.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
