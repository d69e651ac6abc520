package dev.errand.spi;

import java.util.Set;
import java.util.UUID;

/**
 * The outcome of a heartbeat.
 *
 * @param lost the tasks whose lease is no longer held (fence moved on, or the task is no longer
 *     RUNNING); their runs must stop and write nothing more
 * @param cancelRequested the renewed tasks for which a graceful cancel has been requested
 */
public record RenewResult(Set<UUID> lost, Set<UUID> cancelRequested) {
  /** Copies the sets. */
  public RenewResult {
    lost = Set.copyOf(lost);
    cancelRequested = Set.copyOf(cancelRequested);
  }
}
