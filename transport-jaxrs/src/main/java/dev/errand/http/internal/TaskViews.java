package dev.errand.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.errand.Task;
import dev.errand.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The task API's response bodies, made from tasks. */
final class TaskViews {
  private TaskViews() {}

  /** The answer to a submit. */
  record Accepted(
      String taskId,
      String status,
      String taskType,
      int priority,
      Instant estimatedCompletion,
      Instant createdAt,
      boolean webhookConfigured,
      JsonNode metadata) {}

  /** A task's status and progress. */
  record Status(
      String taskId,
      String status,
      String taskType,
      int priority,
      ProgressView progress,
      Instant createdAt,
      Instant startedAt,
      Instant lastUpdated,
      Instant completedAt,
      JsonNode outputPreview,
      int attempts,
      int leaseLosses) {}

  /** Progress as the document shows it. */
  record ProgressView(
      int percentage,
      String currentStage,
      List<String> stagesCompleted,
      Long estimatedRemainingMinutes) {}

  static Accepted accepted(Task task, Optional<Instant> estimate) {
    return new Accepted(
        TaskIds.format(task.id()),
        "accepted",
        task.taskType(),
        task.priority(),
        estimate.orElse(null),
        task.createdAt(),
        task.webhookUrl() != null,
        task.metadata());
  }

  static Status status(Task task, Optional<Instant> estimate, Instant now) {
    Long remaining =
        task.isFinal()
            ? null
            : estimate.map(at -> minutesUp(Duration.between(now, at))).orElse(null);
    return new Status(
        TaskIds.format(task.id()),
        status(task.status()),
        task.taskType(),
        task.priority(),
        new ProgressView(
            percentage(task),
            task.progress().currentStage(),
            task.progress().stagesCompleted(),
            remaining),
        task.createdAt(),
        task.startedAt(),
        task.updatedAt(),
        task.completedAt(),
        task.outputPreview(),
        task.attempt(),
        task.leaseLosses());
  }

  /** What a cancel request did. */
  record Cancelled(String taskId, String status, boolean cancelRequested, String reason) {}

  /** A finished task's outcome. */
  record Results(
      String taskId,
      String status,
      JsonNode results,
      String report,
      ErrorView error,
      ObjectNode processingDetails,
      Instant completedAt) {}

  /** Why a task failed. */
  record ErrorView(String code, String message) {}

  static Cancelled cancelled(Task task) {
    return new Cancelled(
        TaskIds.format(task.id()),
        status(task.status()),
        task.cancelRequested(),
        task.cancelReason());
  }

  /**
   * A finished task's results. An agent may put a {@code processing_details} object at the top of
   * its result; it is shown beside the results, with the processing time and attempts added.
   */
  static Results results(Task task) {
    JsonNode result = task.result();
    ObjectNode details = JsonNodeFactory.instance.objectNode();
    if (result instanceof ObjectNode object
        && object.get("processing_details") instanceof ObjectNode d) {
      result = object.deepCopy();
      details.setAll(d);
      ((ObjectNode) result).remove("processing_details");
    }
    Long minutes = durationMinutes(task);
    if (minutes != null) {
      details.put("processing_time_minutes", minutes);
    }
    details.put("attempts", task.attempt());
    details.put("lease_losses", task.leaseLosses());
    ErrorView error =
        task.error() == null ? null : new ErrorView(task.error().code(), task.error().message());
    return new Results(
        TaskIds.format(task.id()),
        status(task.status()),
        result,
        task.report(),
        error,
        details,
        task.completedAt());
  }

  /** Whole minutes from first start to final status, rounded; null until both are known. */
  static Long durationMinutes(Task task) {
    return task.duration().map(d -> Math.round(d.toSeconds() / 60.0)).orElse(null);
  }

  /** The reported percentage; 100 once the task has completed, whatever the agent reported. */
  static int percentage(Task task) {
    return task.status() == TaskStatus.COMPLETED ? 100 : task.progress().percentage();
  }

  /** Lowercase, with RUNNING called processing as in the document. */
  static String status(TaskStatus status) {
    return status.wireName();
  }

  private static long minutesUp(Duration d) {
    return d.isNegative() ? 0 : (d.toSeconds() + 59) / 60;
  }
}
