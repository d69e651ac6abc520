package dev.errand.http;

import java.util.OptionalLong;

/**
 * Who may hold tokens now, consulted by {@link JwtTokens} when it issues a token and each time it
 * verifies one: a caller who was removed or disabled gets no token and loses the ones it has, and a
 * caller whose token version moved on (to sign them out everywhere) loses the tokens issued under
 * an older version. Implementations are thread-safe and fast (called on every request).
 */
@FunctionalInterface
public interface TokenSubjects {
  /**
   * The caller's current token version, carried by its tokens in the {@code ver} claim.
   *
   * @return empty when the caller may hold no token (removed, disabled)
   */
  OptionalLong tokenVersion(Caller caller);

  /** Every caller may hold tokens, all of version 0: for hosts that revoke nothing. */
  static TokenSubjects everyone() {
    return caller -> OptionalLong.of(0);
  }
}
