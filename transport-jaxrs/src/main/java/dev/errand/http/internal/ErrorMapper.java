package dev.errand.http.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.errand.CapacityExceededException;
import dev.errand.InvalidField;
import dev.errand.StoreException;
import dev.errand.TaskNotFoundException;
import dev.errand.TaskValidationException;
import dev.errand.schedule.ScheduleNotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every failure, of a resource or of the runtime (unknown route, wrong method, unreadable
 * body), as the error envelope. Messages carry what was wrong, never a stack trace.
 */
public final class ErrorMapper implements ExceptionMapper<Throwable> {
  private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

  private final Clock clock;
  private final Supplier<Set<String>> taskTypes;

  /** {@code taskTypes} are listed in details.valid_task_types when a task type is refused. */
  public ErrorMapper(Clock clock, Supplier<Set<String>> taskTypes) {
    this.clock = clock;
    this.taskTypes = taskTypes;
  }

  @Override
  public Response toResponse(Throwable failure) {
    ApiException api = toApi(failure);
    ErrorBody body = ErrorBody.of(api.code(), api.getMessage(), api.details(), clock.instant());
    Response.ResponseBuilder response =
        Response.status(api.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(body);
    api.headers().forEach(response::header);
    return response.build();
  }

  private ApiException toApi(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApiException api) { // also when a JSON reader wrapped it
        return api;
      }
    }
    if (failure instanceof TaskNotFoundException e) {
      return ApiException.notFound(TaskIds.format(e.taskId()));
    }
    if (failure instanceof ScheduleNotFoundException e) {
      return new ApiException(
          404,
          "SCHEDULE_NOT_FOUND",
          "no schedule " + ScheduleViews.format(e.scheduleId()),
          Map.of());
    }
    if (failure instanceof TaskValidationException e) {
      return invalid(e);
    }
    if (failure instanceof MismatchedInputException e && !e.getPath().isEmpty()) {
      return wrongField(e);
    }
    if (failure instanceof JsonProcessingException e) {
      return unreadable(e);
    }
    if (failure instanceof WebApplicationException e) {
      return ApiException.fromStatus(e.getResponse().getStatus());
    }
    if (failure instanceof CapacityExceededException e) {
      return new ApiException(
          503,
          "INSUFFICIENT_RESOURCES",
          "System at capacity: " + e.getMessage(),
          Map.of("max_pending_tasks", e.maxPendingTasks()),
          Map.of("Retry-After", "5"));
    }
    if (failure instanceof StoreException e
        && e.sqlState() != null
        && e.sqlState().startsWith("22")) { // SQL data exception: a value the store cannot hold
      return new ApiException(
          400, "INVALID_REQUEST", "the task store refused a value of the request", Map.of());
    }
    if (failure instanceof StoreException e) {
      log.warn("task store unavailable", e);
      return new ApiException(
          503, "INSUFFICIENT_RESOURCES", "the task store is unavailable; retry later", Map.of());
    }
    log.error("unexpected failure serving a request", failure);
    return new ApiException(500, "INTERNAL_ERROR", "unexpected server error", Map.of());
  }

  private ApiException invalid(TaskValidationException e) {
    List<InvalidField> fields =
        e.invalidFields().stream()
            .map(f -> new InvalidField(WireNames.of(f.field()), f.rule()))
            .toList();
    ApiException api =
        ApiException.invalid("TASK_VALIDATION_FAILED", "Invalid task configuration", fields);
    if (e.invalidFields().stream().noneMatch(f -> f.field().equals("taskType"))) {
      return api;
    }
    Map<String, Object> details = new LinkedHashMap<>(api.details());
    details.put("valid_task_types", new TreeSet<>(taskTypes.get()));
    return new ApiException(400, api.code(), api.getMessage(), details);
  }

  /** A well-formed body with an unknown field, or a value of the wrong type, named by its path. */
  private static ApiException wrongField(MismatchedInputException e) {
    String path =
        e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
            .orElse("body");
    String rule =
        e instanceof UnrecognizedPropertyException
            ? "is not a known field"
            : "must be " + typeName(e.getTargetType());
    return ApiException.invalid(
        "TASK_VALIDATION_FAILED",
        "Invalid request: " + path + " " + rule,
        List.of(new InvalidField(path, rule)));
  }

  private static String typeName(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    return "a JSON " + (type.isRecord() || Map.class.isAssignableFrom(type) ? "object" : "value");
  }

  private static ApiException unreadable(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    Map<String, Object> details = new LinkedHashMap<>();
    if (at != null) {
      details.put("line", at.getLineNr());
      details.put("column", at.getColumnNr());
    }
    return new ApiException(
        400, "INVALID_JSON", "request body is not valid JSON: " + e.getOriginalMessage(), details);
  }
}
