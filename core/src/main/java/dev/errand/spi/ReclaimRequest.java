package dev.errand.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * Recover tasks whose worker stopped renewing its lease.
 *
 * @param now the current instant; leases that expired before it are recovered
 * @param limit the most tasks to recover in one call, at least 1
 * @param maxLeaseLosses the most lost leases a task may have; the recovery that reaches it fails
 *     the task with {@link dev.errand.TaskError#LEASE_LOSSES_EXCEEDED}; at least 1
 */
public record ReclaimRequest(Instant now, int limit, int maxLeaseLosses) {
  /** Checks the values. */
  public ReclaimRequest {
    Objects.requireNonNull(now, "now");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    if (maxLeaseLosses < 1) {
      throw new IllegalArgumentException(
          "maxLeaseLosses must be at least 1, was " + maxLeaseLosses);
    }
  }

  /**
   * The error message of a task failed for its lease losses, the same in every store.
   *
   * @param losses the task's lease losses, this one included
   * @param lastOwner the worker that held the lease last, or {@code null}
   */
  public String lossesExceeded(int losses, String lastOwner) {
    return "the task's lease was lost "
        + losses
        + " times, the most allowed is "
        + maxLeaseLosses
        + " (last held by worker "
        + lastOwner
        + "): its runs keep stopping without ending, as when the process running it dies";
  }
}
