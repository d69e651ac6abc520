package dev.errand.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Issues and verifies HS256 JSON Web Tokens that carry a {@link Caller}: the user in {@code sub},
 * the organization in {@code org}. A token is accepted only when its algorithm is HS256 (so {@code
 * alg: none} and every other algorithm are refused), its signature verifies, its issuer and
 * audience are the configured ones, its {@code typ} header is that of its kind ({@code at+jwt} for
 * access tokens, RFC 9068; {@code errand-ws+jwt} for WebSocket tokens), it is inside its {@code
 * nbf}..{@code exp} window, with a small leeway for clock skew, its lifetime from {@code iat} to
 * {@code exp} is no longer than its kind's (so a far-future {@code exp} is refused, even signed
 * with the secret), and its caller may still hold tokens of its {@code ver} ({@link
 * TokenSubjects}). Access tokens and WebSocket tokens have different audiences and types, so
 * neither is accepted in place of the other.
 *
 * <p>Thread-safe and immutable.
 */
public final class JwtTokens {
  /** The smallest secret accepted: 256 bits, as HS256 requires. */
  public static final int MIN_SECRET_BYTES = 32;

  /** Default issuer. */
  public static final String DEFAULT_ISSUER = "errand";

  /** Default audience of access tokens. */
  public static final String DEFAULT_AUDIENCE = "errand-api";

  /** Default lifetime of an access token. */
  public static final Duration DEFAULT_ACCESS_TOKEN_TTL = Duration.ofHours(1);

  /** Lifetime of a WebSocket token: long enough to open the socket. */
  public static final Duration SOCKET_TOKEN_TTL = Duration.ofMinutes(5);

  /** Default clock-skew leeway on exp and nbf. */
  public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(30);

  private static final String ORGANIZATION_CLAIM = "org";
  private static final String VERSION_CLAIM = "ver";
  private static final JOSEObjectType ACCESS_TYPE = new JOSEObjectType("at+jwt");
  private static final JOSEObjectType SOCKET_TYPE = new JOSEObjectType("errand-ws+jwt");

  private final byte[] secret;
  private final String issuer;
  private final String audience;
  private final Duration accessTokenTtl;
  private final Duration leeway;
  private final Clock clock;
  private final TokenSubjects subjects;

  private JwtTokens(Builder b) {
    this.secret = b.secret;
    this.issuer = b.issuer;
    this.audience = b.audience;
    this.accessTokenTtl = b.accessTokenTtl;
    this.leeway = b.leeway;
    this.clock = b.clock;
    this.subjects = b.subjects;
  }

  /**
   * A builder for tokens signed with this secret.
   *
   * @throws IllegalArgumentException if the secret is shorter than {@value #MIN_SECRET_BYTES} bytes
   */
  public static Builder builder(byte[] secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "secret must be at least "
              + MIN_SECRET_BYTES
              + " bytes (256 bits) for HS256, was "
              + secret.length
              + " bytes");
    }
    return new Builder(secret.clone());
  }

  /**
   * A token's text, when it expires and how long it is valid from its issue.
   *
   * @param value the compact JWS
   * @param expiresAt its exp
   * @param lifetime from its issue to its expiry
   */
  public record Token(String value, Instant expiresAt, Duration lifetime) {}

  /**
   * An access token for the caller, valid for the configured lifetime.
   *
   * @throws IllegalArgumentException if the caller may hold no token ({@link TokenSubjects})
   */
  public Token issueAccessToken(Caller caller) {
    return issue(caller, ACCESS_TYPE, audience, accessTokenTtl);
  }

  /**
   * A short-lived token that authenticates a WebSocket connection, and nothing else.
   *
   * @throws IllegalArgumentException if the caller may hold no token ({@link TokenSubjects})
   */
  public Token issueSocketToken(Caller caller) {
    return issue(caller, SOCKET_TYPE, socketAudience(), SOCKET_TOKEN_TTL);
  }

  /** The caller of a valid access token; empty for any token that is not one. */
  public Optional<Caller> verifyAccessToken(String token) {
    return verify(token, ACCESS_TYPE, audience, accessTokenTtl);
  }

  /** The caller of a valid WebSocket token; empty for any token that is not one. */
  public Optional<Caller> verifySocketToken(String token) {
    return verify(token, SOCKET_TYPE, socketAudience(), SOCKET_TOKEN_TTL);
  }

  /**
   * When a valid WebSocket token expires (its exp), so a socket it opened can be closed then; empty
   * for any token that is not a valid WebSocket token.
   */
  public Optional<Instant> socketTokenExpiry(String token) {
    if (verifySocketToken(token).isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant());
    } catch (ParseException e) {
      return Optional.empty();
    }
  }

  /** A key for another purpose, derived from the secret (see {@link Secrets#derive}). */
  byte[] derive(String purpose) {
    return Secrets.derive(secret, purpose);
  }

  /** Authenticates requests by their {@code Authorization: Bearer} access token. */
  public Authenticator authenticator() {
    return request -> {
      String header = request.getHeaderString("Authorization");
      if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return Optional.empty();
      }
      return verifyAccessToken(header.substring(7).strip());
    };
  }

  private String socketAudience() {
    return audience + "-websocket";
  }

  private Token issue(Caller caller, JOSEObjectType type, String aud, Duration ttl) {
    long version =
        subjects
            .tokenVersion(caller)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "user " + caller.userId() + " may not hold tokens (removed or disabled)"));
    Instant now = clock.instant();
    Instant expires = now.plus(ttl);
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .audience(aud)
            .subject(caller.userId())
            .claim(ORGANIZATION_CLAIM, caller.organizationId())
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(expires))
            .jwtID(UUID.randomUUID().toString())
            .claim(VERSION_CLAIM, version)
            .build();
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(type).build(), claims);
    try {
      jwt.sign(new MACSigner(secret));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
    }
    return new Token(jwt.serialize(), expires, ttl);
  }

  private Optional<Caller> verify(
      String token, JOSEObjectType type, String expectedAudience, Duration ttl) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())
          || !type.equals(jwt.getHeader().getType())
          || !jwt.verify(new MACVerifier(secret))) {
        return Optional.empty();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Long version = claims.getLongClaim(VERSION_CLAIM);
      return accepted(claims, expectedAudience, ttl).filter(c -> current(c, version));
    } catch (ParseException | JOSEException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether the token's caller may still hold tokens of the token's version. */
  private boolean current(Caller caller, Long version) {
    OptionalLong now = subjects.tokenVersion(caller);
    return version != null && now.isPresent() && now.getAsLong() == version;
  }

  private Optional<Caller> accepted(JWTClaimsSet claims, String expectedAudience, Duration ttl)
      throws ParseException {
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    Date nbf = claims.getNotBeforeTime();
    Date iat = claims.getIssueTime();
    boolean valid =
        issuer.equals(claims.getIssuer())
            && claims.getAudience().contains(expectedAudience)
            && exp != null
            && iat != null
            && now.isBefore(exp.toInstant().plus(leeway))
            && !iat.toInstant().isAfter(now.plus(leeway))
            && !exp.toInstant().isAfter(iat.toInstant().plus(ttl))
            && (nbf == null || !now.isBefore(nbf.toInstant().minus(leeway)));
    String org = claims.getStringClaim(ORGANIZATION_CLAIM);
    String user = claims.getSubject();
    if (!valid || org == null || org.isBlank() || user == null || user.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new Caller(org, user));
  }

  /** Configures {@link JwtTokens}. Not thread-safe. */
  public static final class Builder {
    private final byte[] secret;
    private String issuer = DEFAULT_ISSUER;
    private String audience = DEFAULT_AUDIENCE;
    private Duration accessTokenTtl = DEFAULT_ACCESS_TOKEN_TTL;
    private Duration leeway = DEFAULT_LEEWAY;
    private Clock clock = Clock.systemUTC();
    private TokenSubjects subjects = TokenSubjects.everyone();

    private Builder(byte[] secret) {
      this.secret = secret;
    }

    /** The {@code iss} written and required; default {@value #DEFAULT_ISSUER}. */
    public Builder issuer(String issuer) {
      this.issuer = requireText(issuer, "issuer");
      return this;
    }

    /** The {@code aud} of access tokens; default {@value #DEFAULT_AUDIENCE}. */
    public Builder audience(String audience) {
      this.audience = requireText(audience, "audience");
      return this;
    }

    /** How long an access token is valid, 1 minute to 1 day; default 1 hour. */
    public Builder accessTokenTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "accessTokenTtl");
      if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException(
            "accessTokenTtl must be between 1 minute and 1 day, was " + ttl);
      }
      this.accessTokenTtl = ttl;
      return this;
    }

    /** Clock skew allowed on exp and nbf, 0 to 5 minutes; default 30 seconds. */
    public Builder leeway(Duration leeway) {
      Objects.requireNonNull(leeway, "leeway");
      if (leeway.isNegative() || leeway.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("leeway must be between 0 and 5 minutes, was " + leeway);
      }
      this.leeway = leeway;
      return this;
    }

    /** The clock of issue and expiry times; default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Who may hold tokens now, and of which version; default {@link TokenSubjects#everyone()}.
     * Removing or disabling a caller there, or moving its version on, refuses its tokens from the
     * next request.
     */
    public Builder subjects(TokenSubjects subjects) {
      this.subjects = Objects.requireNonNull(subjects, "subjects");
      return this;
    }

    public JwtTokens build() {
      return new JwtTokens(this);
    }

    private static String requireText(String value, String name) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank, was '" + value + "'");
      }
      return value;
    }
  }
}
