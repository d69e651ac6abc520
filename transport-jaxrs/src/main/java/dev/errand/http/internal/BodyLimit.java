package dev.errand.http.internal;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Reads each request body before anything answers the request, refusing bodies over the configured
 * size with 413; an oversize body is never held in memory. Reading the body first means no early
 * answer (a 401, a 429) leaves unread bytes on a kept-alive connection. An oversize body is read on
 * and discarded, up to {@value ContainerErrors#DISCARD_LIMIT} bytes, before the 413 is sent: a
 * server that closes a connection with the client's bytes unread resets it, and the client may then
 * lose the answer.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 50)
public final class BodyLimit implements ContainerRequestFilter {
  private final int maxBytes;

  public BodyLimit(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (request.getLength() > maxBytes) {
      ContainerErrors.discard(request.getEntityStream());
      throw tooLarge();
    }
    if (request.hasEntity()) {
      request.setEntityStream(new ByteArrayInputStream(readAtMostMax(request.getEntityStream())));
    }
  }

  private byte[] readAtMostMax(InputStream in) {
    try {
      byte[] body = in.readNBytes(maxBytes + 1);
      if (body.length > maxBytes) {
        ContainerErrors.discard(in);
        throw tooLarge();
      }
      return body;
    } catch (IOException e) {
      throw new ApiException(
          400,
          "INVALID_REQUEST",
          "the request body could not be read: " + e.getMessage(),
          Map.of());
    }
  }

  private ApiException tooLarge() {
    return new ApiException(
        413,
        "PAYLOAD_TOO_LARGE",
        "request body is larger than " + maxBytes + " bytes",
        Map.of("max_bytes", maxBytes));
  }
}
