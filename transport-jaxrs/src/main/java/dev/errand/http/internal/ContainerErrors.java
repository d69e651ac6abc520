package dev.errand.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/** The envelope for errors of the container, outside the JAX-RS application. */
public final class ContainerErrors {
  /** The most of a refused request's body read and discarded before answering. */
  public static final long DISCARD_LIMIT = 64L * 1024 * 1024;

  private static final SecureRandom RANDOM = new SecureRandom();

  private ContainerErrors() {}

  public static String json(int status, String requestId, Instant at) {
    ApiException api = ApiException.fromStatus(status);
    ErrorBody body = ErrorBody.of(api.code(), api.getMessage(), api.details(), at);
    try {
      return WireProviders.MAPPER.writeValueAsString(body.withRequestId(requestId));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the error envelope", e);
    }
  }

  public static String newRequestId() {
    byte[] bytes = new byte[10];
    RANDOM.nextBytes(bytes);
    return "req_" + HexFormat.of().formatHex(bytes);
  }

  /**
   * Reads and drops the rest of a refused request's body, up to {@link #DISCARD_LIMIT} bytes: a
   * server that closes a connection with the client's bytes unread resets it, and the client may
   * lose the answer; once read, the connection can also carry the next request.
   */
  public static void discard(InputStream in) {
    try {
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      int n;
      while (total < DISCARD_LIMIT && (n = in.read(buffer)) >= 0) {
        total += n;
      }
    } catch (IOException e) {
      // the client went away; the answer will not reach it either
    }
  }
}
