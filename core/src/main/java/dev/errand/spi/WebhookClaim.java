package dev.errand.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A request to take due webhook deliveries for attempts.
 *
 * @param now the deliveries due at this instant are candidates
 * @param leaseUntil each taken delivery is due again only at this instant, which is also the token
 *     its outcome must carry
 * @param limit at most this many in all
 * @param perOrganization at most this many of one organization
 * @param skipOrganizations organizations to take none of (their deliveries are all under way)
 */
public record WebhookClaim(
    Instant now,
    Instant leaseUntil,
    int limit,
    int perOrganization,
    Set<String> skipOrganizations) {
  /** Checks the values. */
  public WebhookClaim {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
    skipOrganizations = Set.copyOf(skipOrganizations);
    if (limit < 1 || perOrganization < 1) {
      throw new IllegalArgumentException(
          "limit and perOrganization must be at least 1, were " + limit + ", " + perOrganization);
    }
  }
}
