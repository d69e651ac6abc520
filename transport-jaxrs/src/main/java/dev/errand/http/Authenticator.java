package dev.errand.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Optional;

/**
 * Establishes who made a request. Hosts with their own authentication implement it; requests it
 * answers empty for are refused with 401 UNAUTHORIZED. Called on the request thread, possibly by
 * many threads at once.
 */
@FunctionalInterface
public interface Authenticator {
  /**
   * @param request the request, before it reaches a resource
   * @return the caller, or empty when the request does not prove one
   */
  Optional<Caller> authenticate(ContainerRequestContext request);
}
