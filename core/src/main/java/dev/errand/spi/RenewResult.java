package dev.errand.spi;

import java.util.Set;

/**
 * The outcome of a heartbeat, per lease: a stale run and a newer run of the same task in one engine
 * hold different leases, and only the stale one is reported lost.
 *
 * @param lost the leases no longer held (fence moved on, or the task is no longer RUNNING); their
 *     runs must stop and write nothing more
 * @param cancelRequested the renewed leases whose task has a graceful cancel requested
 */
public record RenewResult(Set<LeaseRef> lost, Set<LeaseRef> cancelRequested) {
  /** Copies the sets. */
  public RenewResult {
    lost = Set.copyOf(lost);
    cancelRequested = Set.copyOf(cancelRequested);
  }

  /** Nothing lost, nothing to cancel. */
  public static RenewResult none() {
    return new RenewResult(Set.of(), Set.of());
  }
}
