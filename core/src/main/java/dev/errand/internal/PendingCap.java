package dev.errand.internal;

import dev.errand.CapacityExceededException;
import dev.errand.TaskQuery;
import dev.errand.TaskStatus;
import dev.errand.spi.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Refuses submits while the store holds the configured maximum of PENDING tasks. The count is read
 * from the store at most once a second and this engine's own submits are added to it in between, so
 * several engines on one store may overshoot by about a second of their submits.
 */
final class PendingCap {
  static final Duration RECOUNT = Duration.ofSeconds(1);
  private static final TaskQuery PENDING =
      TaskQuery.builder().statuses(Set.of(TaskStatus.PENDING)).limit(1).build();

  private final TaskStore store;
  private final Clock clock;
  private final int max;
  private long counted; // guarded by this
  private Instant countedAt = Instant.MIN; // guarded by this

  PendingCap(TaskStore store, Clock clock, int max) {
    this.store = store;
    this.clock = clock;
    this.max = max;
  }

  /**
   * Counts one more submit, or refuses it.
   *
   * @throws CapacityExceededException if the maximum is reached
   */
  void admit() {
    admit(1);
  }

  /**
   * Counts {@code tasks} more submits, or refuses them all.
   *
   * @throws CapacityExceededException if they would go past the maximum
   */
  synchronized void admit(int tasks) {
    if (max == Integer.MAX_VALUE) {
      return;
    }
    Instant now = clock.instant();
    if (!now.isBefore(countedAt.plus(RECOUNT))) {
      counted = store.list(PENDING).totalCount();
      countedAt = now;
    }
    if (counted + tasks > max) {
      throw new CapacityExceededException(max);
    }
    counted += tasks;
  }
}
