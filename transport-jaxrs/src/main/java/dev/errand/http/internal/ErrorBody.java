package dev.errand.http.internal;

import java.time.Instant;
import java.util.Map;

/**
 * The error envelope: {@code {"error": {code, message, details, request_id, timestamp}}}. The
 * request id is filled in by {@link RequestIds} on the way out.
 */
record ErrorBody(Error error) {
  record Error(
      String code,
      String message,
      Map<String, Object> details,
      String requestId,
      Instant timestamp) {}

  static ErrorBody of(String code, String message, Map<String, Object> details, Instant at) {
    return new ErrorBody(new Error(code, message, details, null, at));
  }

  ErrorBody withRequestId(String requestId) {
    return new ErrorBody(
        new Error(error.code(), error.message(), error.details(), requestId, error.timestamp()));
  }
}
