package dev.errand.http.internal;

import dev.errand.http.Authenticator;
import dev.errand.http.Caller;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/**
 * Asks the {@link Authenticator} who is calling and makes the {@link Caller} the request's
 * principal; refuses the request with 401 when there is none. Methods marked {@link Open} (sign-in,
 * the API document) need no credentials.
 */
@Priority(Priorities.AUTHENTICATION)
public final class AuthFilter implements ContainerRequestFilter {
  private final Authenticator authenticator;
  @Context private ResourceInfo resource;

  public AuthFilter(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (Routes.isOpen(resource)) {
      return;
    }
    Caller caller =
        authenticator
            .authenticate(request)
            .orElseThrow(() -> ApiException.unauthorized("missing or invalid credentials"));
    boolean secure = request.getSecurityContext().isSecure();
    request.setSecurityContext(new CallerContext(caller, secure));
  }

  /** Resources read the caller from here. */
  static Caller caller(SecurityContext context) {
    Principal principal = context.getUserPrincipal();
    if (principal instanceof Caller caller) {
      return caller;
    }
    throw ApiException.unauthorized("missing or invalid credentials");
  }

  private record CallerContext(Caller caller, boolean secure) implements SecurityContext {
    @Override
    public Principal getUserPrincipal() {
      return caller;
    }

    @Override
    public boolean isUserInRole(String role) {
      return false;
    }

    @Override
    public boolean isSecure() {
      return secure;
    }

    @Override
    public String getAuthenticationScheme() {
      return "Bearer";
    }
  }
}
