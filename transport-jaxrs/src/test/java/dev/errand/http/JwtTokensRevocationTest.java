package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.errand.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Tokens die with their caller's right to hold them (removed, disabled, version moved on), live no
 * longer than their kind allows whatever their exp says, and carry their kind in typ.
 */
class JwtTokensRevocationTest {
  private static final byte[] SECRET =
      "revocation-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8);
  private static final Caller JANE = new Caller("acme", "jane");

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-12-03T10:00:00Z"));
  private final Map<String, Long> versions = new ConcurrentHashMap<>(Map.of("jane", 0L));
  private final JwtTokens tokens =
      JwtTokens.builder(SECRET)
          .clock(clock)
          .subjects(
              c -> {
                Long v = versions.get(c.userId());
                return v == null ? OptionalLong.empty() : OptionalLong.of(v);
              })
          .build();

  @Test
  void aRemovedUsersTokensAreRefused() {
    String access = tokens.issueAccessToken(JANE).value();
    String socket = tokens.issueSocketToken(JANE).value();
    assertThat(tokens.verifyAccessToken(access)).contains(JANE);

    versions.remove("jane");
    assertThat(tokens.verifyAccessToken(access)).isEmpty();
    assertThat(tokens.verifySocketToken(socket)).isEmpty();
  }

  @Test
  void movingAUsersVersionOnSignsThemOutEverywhere() {
    String before = tokens.issueAccessToken(JANE).value();
    versions.put("jane", 1L);
    assertThat(tokens.verifyAccessToken(before)).isEmpty();
    assertThat(tokens.verifyAccessToken(tokens.issueAccessToken(JANE).value())).contains(JANE);
  }

  @Test
  void aFarFutureExpiryIsRefusedEvenSignedWithTheSecret() throws Exception {
    Instant now = clock.instant();
    String forged = signed("at+jwt", now, now.plus(Duration.ofDays(3650)));
    assertThat(tokens.verifyAccessToken(forged)).isEmpty();
    String fair = signed("at+jwt", now, now.plus(JwtTokens.DEFAULT_ACCESS_TOKEN_TTL));
    assertThat(tokens.verifyAccessToken(fair))
        .as("the same token within its lifetime")
        .contains(JANE);
  }

  @Test
  void aTokenMustCarryTheTypeOfItsKind() throws Exception {
    Instant now = clock.instant();
    Instant exp = now.plus(Duration.ofMinutes(5));
    assertThat(tokens.verifyAccessToken(signed(null, now, exp))).isEmpty();
    assertThat(tokens.verifyAccessToken(signed("JWT", now, exp))).isEmpty();
    assertThat(tokens.verifyAccessToken(signed("at+jwt", now, exp))).contains(JANE);
  }

  /** An access token as this server would issue it, with the given typ and lifetime. */
  private static String signed(String typ, Instant iat, Instant exp) throws Exception {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(JwtTokens.DEFAULT_ISSUER)
            .audience(JwtTokens.DEFAULT_AUDIENCE)
            .subject(JANE.userId())
            .claim("org", JANE.organizationId())
            .claim("ver", 0L)
            .issueTime(Date.from(iat))
            .notBeforeTime(Date.from(iat))
            .expirationTime(Date.from(exp))
            .build();
    JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.HS256);
    if (typ != null) {
      header.type(new JOSEObjectType(typ));
    }
    SignedJWT jwt = new SignedJWT(header.build(), claims);
    jwt.sign(new MACSigner(SECRET));
    return jwt.serialize();
  }
}
