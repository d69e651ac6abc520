package dev.errand.http.internal;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Reads each request body of an authenticated, admitted request before the resource sees it,
 * refusing bodies over the configured size with 413; an oversize body is never held in memory. It
 * runs after authentication and the rate limits, so a request without valid credentials (or over
 * its limit) is answered without its body being read: no one can hold a request thread by sending a
 * body slowly without credentials (the server then closes the connection rather than read a body
 * nobody wants). An oversize body is read on and discarded, up to {@value
 * ContainerErrors#DISCARD_LIMIT} bytes, before the 413 is sent: a server that closes a connection
 * with the client's bytes unread resets it, and the client may then lose the answer.
 */
@Priority(Priorities.AUTHORIZATION + 100)
public final class BodyLimit implements ContainerRequestFilter, ContainerResponseFilter {
  private static final String READ = "dev.errand.http.bodyRead";

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
    if (announcesBody(request)) { // not hasEntity(): it reads, and a body may come slowly
      request.setEntityStream(new ByteArrayInputStream(readAtMostMax(request.getEntityStream())));
    }
    request.setProperty(READ, Boolean.TRUE);
  }

  /**
   * An answer given before the body was read (401, 429, 404, ...) closes the connection: the unread
   * body is not worth waiting for, and the connection could not carry another request.
   */
  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getProperty(READ) == null && announcesBody(request)) {
      response.getHeaders().putSingle("Connection", "close");
    }
  }

  /** By its headers: the stream itself may be closed once an answer is under way. */
  private static boolean announcesBody(ContainerRequestContext request) {
    return request.getLength() > 0
        || "chunked".equalsIgnoreCase(request.getHeaderString("Transfer-Encoding"));
  }

  private byte[] readAtMostMax(InputStream in) {
    byte[] body;
    try {
      body = in.readNBytes(maxBytes + 1);
    } catch (IOException | RuntimeException e) { // a container may throw its own, for a slow body
      throw new ApiException(
          400,
          "INVALID_REQUEST",
          "the request body could not be read: " + e.getMessage(),
          Map.of());
    }
    if (body.length > maxBytes) {
      ContainerErrors.discard(in);
      throw tooLarge();
    }
    return body;
  }

  private ApiException tooLarge() {
    return new ApiException(
        413,
        "PAYLOAD_TOO_LARGE",
        "request body is larger than " + maxBytes + " bytes",
        Map.of("max_bytes", maxBytes));
  }
}
