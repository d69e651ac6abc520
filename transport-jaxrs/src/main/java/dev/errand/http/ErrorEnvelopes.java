package dev.errand.http;

import dev.errand.http.internal.ContainerErrors;
import java.io.InputStream;
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

  /**
   * Reads and drops the unread rest of a refused request's body (at most 64 MiB) before the error
   * is written, so the answer reaches the client and the connection stays usable.
   */
  public static void discardBody(InputStream body) {
    ContainerErrors.discard(body);
  }

  /** A new request id, in the form the API uses ({@code req_} and 20 hex digits). */
  public static String newRequestId() {
    return ContainerErrors.newRequestId();
  }
}
