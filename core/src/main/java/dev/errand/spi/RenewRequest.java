package dev.errand.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A heartbeat: extend all these leases at once.
 *
 * @param leases the leases to extend
 * @param leaseExpiresAt their new expiry
 */
public record RenewRequest(List<LeaseRef> leases, Instant leaseExpiresAt) {
  /** Copies the list. */
  public RenewRequest {
    leases = List.copyOf(leases);
    Objects.requireNonNull(leaseExpiresAt, "leaseExpiresAt");
  }
}
