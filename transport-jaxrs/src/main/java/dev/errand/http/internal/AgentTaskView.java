package dev.errand.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.Task;
import dev.errand.TaskStatus;
import java.time.Instant;

/**
 * An agent task as contract B shows it. Statuses are uppercase; a cancelled task shows as FAILED
 * with error code TASK_CANCELLED, so that clients polling for COMPLETED, INCOMPLETE or FAILED
 * always stop.
 */
record AgentTaskView(
    String taskId,
    String status,
    String report,
    Result result,
    TaskViews.ErrorView error,
    Instant createdAt,
    Instant startedAt,
    Instant completedAt) {

  /** What the agent produced: its final text and how many tool calls it made. */
  record Result(String text, int toolCallsMade) {}

  static AgentTaskView of(Task task) {
    boolean cancelled = task.status() == TaskStatus.CANCELLED;
    TaskViews.ErrorView error =
        cancelled
            ? new TaskViews.ErrorView(
                "TASK_CANCELLED",
                task.cancelReason() == null ? "the task was cancelled" : task.cancelReason())
            : task.error() == null || task.status() != TaskStatus.FAILED
                ? null
                : new TaskViews.ErrorView(task.error().code(), task.error().message());
    return new AgentTaskView(
        task.id().toString(),
        cancelled ? "FAILED" : task.status().name(),
        task.report(),
        result(task.result()),
        error,
        task.createdAt(),
        task.startedAt(),
        task.completedAt());
  }

  /**
   * The agent's result as {text, tool_calls_made}: taken from an object with those fields, a string
   * as the text, any other JSON as its text.
   */
  private static Result result(JsonNode result) {
    if (result == null || result.isNull()) {
      return null;
    }
    if (result.isTextual()) {
      return new Result(result.asText(), 0);
    }
    if (result.isObject() && result.has("text")) {
      return new Result(result.path("text").asText(), result.path("tool_calls_made").asInt(0));
    }
    return new Result(result.toString(), 0);
  }
}
