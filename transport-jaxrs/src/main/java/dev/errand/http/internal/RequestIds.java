package dev.errand.http.internal;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;

/**
 * Gives every request an id, returned in the {@value #HEADER} header of every response and in the
 * error envelope's request_id, so a user's report can be matched to the server's log.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public final class RequestIds implements ContainerRequestFilter, ContainerResponseFilter {
  /** The response header carrying the request id. */
  public static final String HEADER = "X-Request-ID";

  private static final String PROPERTY = "dev.errand.http.requestId";

  @Override
  public void filter(ContainerRequestContext request) {
    request.setProperty(PROPERTY, ContainerErrors.newRequestId());
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    String id = id(request);
    response.getHeaders().putSingle(HEADER, id);
    if (response.getEntity() instanceof ErrorBody body) {
      response.setEntity(body.withRequestId(id));
    }
  }

  /** The request's id; given now if the request failed before the request filter ran. */
  static String id(ContainerRequestContext request) {
    Object id = request.getProperty(PROPERTY);
    if (id == null) {
      id = ContainerErrors.newRequestId();
      request.setProperty(PROPERTY, id);
    }
    return id.toString();
  }
}
