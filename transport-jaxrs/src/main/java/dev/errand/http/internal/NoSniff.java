package dev.errand.http.internal;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/**
 * Tells browsers to take every answer as its declared content type ({@value #HEADER}: {@value
 * #VALUE}), so that no answer carrying a caller's text is ever run as a script or page. Applies to
 * every answer of the application, errors included.
 */
public final class NoSniff implements ContainerResponseFilter {
  static final String HEADER = "X-Content-Type-Options";
  static final String VALUE = "nosniff";

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    response.getHeaders().putSingle(HEADER, VALUE);
  }
}
