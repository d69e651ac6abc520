package dev.errand.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A worker's request for due tasks.
 *
 * @param workerId the claiming worker, stored as the lease owner
 * @param now the current instant; tasks with run-after at or before it are due
 * @param leaseExpiresAt the expiry of the leases granted
 * @param limit the most tasks to claim, at least 1
 * @param taskTypes the types the worker can run; never empty
 */
public record ClaimRequest(
    String workerId, Instant now, Instant leaseExpiresAt, int limit, Set<String> taskTypes) {
  /** Checks the values. */
  public ClaimRequest {
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(leaseExpiresAt, "leaseExpiresAt");
    taskTypes = Set.copyOf(taskTypes);
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    if (taskTypes.isEmpty()) {
      throw new IllegalArgumentException("taskTypes must not be empty");
    }
  }
}
