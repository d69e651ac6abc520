package dev.errand.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/** The envelope for errors of the container, outside the JAX-RS application. */
public final class ContainerErrors {
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
}
