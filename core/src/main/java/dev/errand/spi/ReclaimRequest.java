package dev.errand.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * Recover tasks whose worker stopped renewing its lease.
 *
 * @param now the current instant; leases that expired before it are recovered
 * @param limit the most tasks to recover in one call, at least 1
 */
public record ReclaimRequest(Instant now, int limit) {
  /** Checks the values. */
  public ReclaimRequest {
    Objects.requireNonNull(now, "now");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
  }
}
