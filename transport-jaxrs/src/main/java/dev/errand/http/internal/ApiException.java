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

  /** 400 naming each invalid field (in wire spelling) and its rule. */
  static ApiException invalid(String code, String message, List<InvalidField> fields) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put(
        "invalid_fields", fields.stream().map(f -> WireNames.of(f.field())).distinct().toList());
    details.put(
        "errors",
        fields.stream()
            .map(f -> Map.of("field", WireNames.of(f.field()), "rule", f.rule()))
            .toList());
    return new ApiException(400, code, message, details);
  }

  static ApiException conflict(String code, String message, TaskStatus status) {
    return new ApiException(409, code, message, Map.of("status", TaskViews.status(status)));
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
