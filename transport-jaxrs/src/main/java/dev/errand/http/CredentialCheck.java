package dev.errand.http;

import java.util.Optional;

/**
 * Checks a username and password given to {@code POST /auth/login}. Implementations compare
 * passwords in constant time against salted, slow hashes, never against stored plain text. Called
 * on request threads, possibly by many at once.
 */
@FunctionalInterface
public interface CredentialCheck {
  /**
   * @return the caller these credentials belong to, or empty when they are wrong
   */
  Optional<Caller> check(String username, char[] password);
}
