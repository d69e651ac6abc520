package dev.errand.http.internal;

import dev.errand.InvalidField;
import dev.errand.http.Caller;
import dev.errand.http.CredentialCheck;
import dev.errand.http.JwtTokens;
import dev.errand.http.LoginLimits;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Issues tokens: access tokens at /auth/login, WebSocket tokens at /api/v1/websocket-auth; no cache
 * may store either answer. Sign-in attempts pass the {@link LoginGuard} before their password is
 * checked, and tell it how the check went.
 */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
public final class AuthResource {
  /** The login body; {@code sso_token} is refused, as no SSO is configured. */
  record LoginBody(String username, String password, String ssoToken) {}

  static final int MAX_USERNAME = 254;
  static final int MAX_PASSWORD = 1024;

  record AccessToken(String accessToken, String tokenType, long expiresIn, Instant expiresAt) {}

  record SocketToken(String websocketToken, long expiresIn, Instant expiresAt) {}

  private final JwtTokens tokens;
  private final CredentialCheck credentials;
  private final LoginGuard guard;

  /** {@code credentials} may be null: then /auth/login is not offered. */
  public AuthResource(
      JwtTokens tokens, CredentialCheck credentials, LoginLimits limits, Clock clock) {
    this.tokens = tokens;
    this.credentials = credentials;
    this.guard = new LoginGuard(limits, clock);
  }

  @POST
  @Path("auth/login")
  @Open
  @Consumes(MediaType.APPLICATION_JSON)
  public Response login(LoginBody body, @Context ContainerRequestContext request) {
    if (credentials == null) {
      throw new ApiException(404, "NOT_FOUND", "login is not offered by this server", Map.of());
    }
    check(body);
    SecurityLog.signIn(request, body.username());
    JwtTokens.Token token;
    try (LoginGuard.Attempt attempt = guard.admit(body.username(), ClientAddresses.of(request))) {
      token = issue(credentials.check(body.username(), body.password().toCharArray()));
      if (token == null) {
        attempt.failed();
        throw ApiException.unauthorized("wrong username or password");
      }
      attempt.succeeded();
    }
    return unstored(
        new AccessToken(token.value(), "Bearer", secondsLeft(token), token.expiresAt()));
  }

  /** A token for the caller, or null when there is none or it may not hold tokens (any more). */
  private JwtTokens.Token issue(Optional<Caller> caller) {
    try {
      return caller.map(tokens::issueAccessToken).orElse(null);
    } catch (IllegalArgumentException e) { // removed or disabled since its password was checked
      return null;
    }
  }

  @POST
  @Path("api/v1/websocket-auth")
  public Response socketToken(@Context SecurityContext security) {
    JwtTokens.Token token = tokens.issueSocketToken(AuthFilter.caller(security));
    return unstored(new SocketToken(token.value(), secondsLeft(token), token.expiresAt()));
  }

  /** A token's answer, which no cache may keep (RFC 6749, section 5.1). */
  private static Response unstored(Object token) {
    return Response.ok(token).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
  }

  private static void check(LoginBody body) {
    List<InvalidField> invalid = new ArrayList<>();
    if (body != null && body.ssoToken() != null) {
      invalid.add(new InvalidField("sso_token", "single sign-on is not configured on this server"));
    } else {
      if (body == null || body.username() == null || body.username().isBlank()) {
        invalid.add(new InvalidField("username", "is required"));
      } else if (body.username().length() > MAX_USERNAME) {
        invalid.add(
            new InvalidField("username", "must be at most " + MAX_USERNAME + " characters"));
      }
      if (body == null || body.password() == null || body.password().isEmpty()) {
        invalid.add(new InvalidField("password", "is required"));
      } else if (body.password().length() > MAX_PASSWORD) {
        invalid.add(
            new InvalidField("password", "must be at most " + MAX_PASSWORD + " characters"));
      }
    }
    if (!invalid.isEmpty()) {
      throw ApiException.invalid("INVALID_REQUEST", "Invalid login request", invalid);
    }
  }

  private static long secondsLeft(JwtTokens.Token token) {
    return token.lifetime().toSeconds();
  }
}
