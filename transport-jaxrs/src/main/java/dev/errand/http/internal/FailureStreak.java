package dev.errand.http.internal;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * The consecutive failures of a polling loop, so that a store that is down for minutes costs a few
 * attempts and two log lines, not an attempt and a stack trace per turn of the loop. The wait after
 * a failure is the poll interval doubled per failure in the streak, capped, as the engine's worker
 * loop backs off its claims. A warning when a streak starts, the stack traces at DEBUG, and a line
 * when the loop works again. Not thread-safe: one loop owns it.
 */
final class FailureStreak {
  private final Logger log;
  private final String what;
  private final Duration poll;
  private final Duration max;
  private int failures;

  FailureStreak(Logger log, String what, Duration poll, Duration max) {
    this.log = log;
    this.what = what;
    this.poll = poll;
    this.max = max;
  }

  /** Counts a failure; returns how long to wait before the next attempt. */
  Duration failed(RuntimeException e) {
    failures++;
    Duration backoff = poll.multipliedBy(1L << Math.min(failures - 1, 20));
    if (backoff.compareTo(max) > 0) {
      backoff = max;
    }
    if (failures == 1) {
      log.warn("{} failed: {}; backing off up to {} until it works", what, e.toString(), max);
    }
    log.debug("{} failed, attempt {} of this streak", what, failures, e);
    return backoff;
  }

  /** Ends a streak, if one is under way. */
  void succeeded() {
    if (failures > 0) {
      log.info("{} works again after {} failed attempts", what, failures);
      failures = 0;
    }
  }

  /** Whether the last attempt failed. */
  boolean failing() {
    return failures > 0;
  }
}
