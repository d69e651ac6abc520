package dev.errand.http.internal;

import dev.errand.InvalidField;
import dev.errand.TaskStatus;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A failure with its HTTP status and envelope code, rendered by {@link ErrorMapper}. */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient Map<String, Object> details;
  private final transient Map<String, String> headers;

  ApiException(int status, String code, String message, Map<String, Object> details) {
    this(status, code, message, details, Map.of());
  }

  ApiException(
      int status,
      String code,
      String message,
      Map<String, Object> details,
      Map<String, String> headers) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    this.headers = Map.copyOf(headers);
  }

  static ApiException unauthorized(String message) {
    return new ApiException(401, "UNAUTHORIZED", message, Map.of());
  }

  static ApiException notFound(String taskId) {
    return new ApiException(404, "TASK_NOT_FOUND", "no task " + taskId, Map.of());
  }

  /** 400 naming each invalid field, as the wire spells it, and its rule. */
  static ApiException invalid(String code, String message, List<InvalidField> fields) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("invalid_fields", fields.stream().map(InvalidField::field).distinct().toList());
    details.put(
        "errors", fields.stream().map(f -> Map.of("field", f.field(), "rule", f.rule())).toList());
    return new ApiException(400, code, message, details);
  }

  static ApiException conflict(String code, String message, TaskStatus status) {
    return new ApiException(409, code, message, Map.of("status", TaskViews.status(status)));
  }

  /** The envelope of a status the runtime or the container chose. */
  static ApiException fromStatus(int status) {
    return switch (status) {
      case 404 -> new ApiException(404, "NOT_FOUND", "no such endpoint", Map.of());
      case 405 -> new ApiException(405, "METHOD_NOT_ALLOWED", "method not allowed here", Map.of());
      case 406 ->
          new ApiException(406, "NOT_ACCEPTABLE", "responses are application/json", Map.of());
      case 400 -> new ApiException(400, "BAD_REQUEST", "malformed request", Map.of());
      case 413 -> new ApiException(413, "PAYLOAD_TOO_LARGE", "request body too large", Map.of());
      case 431 -> new ApiException(431, "HEADERS_TOO_LARGE", "request headers too large", Map.of());
      case 415 ->
          new ApiException(
              415, "UNSUPPORTED_MEDIA_TYPE", "send the body as application/json", Map.of());
      default ->
          new ApiException(
              status, status < 500 ? "BAD_REQUEST" : "INTERNAL_ERROR", "request refused", Map.of());
    };
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  Map<String, Object> details() {
    return details;
  }

  /** Headers the response must carry, such as Retry-After. */
  Map<String, String> headers() {
    return headers;
  }
}
