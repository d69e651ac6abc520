package dev.errand.http;

import dev.errand.http.internal.ContainerErrors;
import java.time.Instant;

/**
 * The error envelope for failures the JAX-RS application never sees: a request the servlet
 * container refuses itself (a malformed URI or header, a header too large). Hosts call this from
 * their container's error handler so that every answer has the same shape.
 */
public final class ErrorEnvelopes {
  private ErrorEnvelopes() {}

  /**
   * The envelope's JSON for an HTTP status the container chose.
   *
   * @param status the response status, 400 to 599
   * @param requestId the id also sent in the X-Request-ID header
   * @param at when it happened
   */
  public static String json(int status, String requestId, Instant at) {
    return ContainerErrors.json(status, requestId, at);
  }

  /** A new request id, in the form the API uses ({@code req_} and 20 hex digits). */
  public static String newRequestId() {
    return ContainerErrors.newRequestId();
  }
}
