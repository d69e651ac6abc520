package dev.errand.http;

import java.util.Optional;

/**
 * Checks a username and password given to {@code POST /auth/login}. Implementations compare
 * passwords in constant time against salted, slow hashes, never against stored plain text, and hash
 * for an unknown username too (against a dummy hash of the same cost), so that timing does not tell
 * which names exist. Called on request threads, by at most {@link LoginLimits#concurrentChecks()}
 * at once, and only for attempts the limits let through.
 */
@FunctionalInterface
public interface CredentialCheck {
  /**
   * @return the caller these credentials belong to, or empty when they are wrong
   */
  Optional<Caller> check(String username, char[] password);
}
