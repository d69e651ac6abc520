package dev.errand.http;

import java.security.Principal;
import java.util.Objects;

/**
 * Who made a request, as an {@link Authenticator} established it: every task the caller submits
 * belongs to its organization, and it sees no other organization's tasks.
 *
 * @param organizationId the organization, never blank
 * @param userId the user within it, never blank
 */
public record Caller(String organizationId, String userId) implements Principal {
  /**
   * @throws IllegalArgumentException if either value is null or blank
   */
  public Caller {
    requireText(organizationId, "organizationId");
    requireText(userId, "userId");
  }

  private static void requireText(String value, String name) {
    if (Objects.requireNonNullElse(value, "").isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank, was '" + value + "'");
    }
  }

  @Override
  public String getName() {
    return userId;
  }
}
