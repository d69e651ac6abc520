package dev.errand.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.Task;
import dev.errand.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
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
      JsonNode outputPreview) {}

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
            task.progress().percentage(),
            task.progress().currentStage(),
            task.progress().stagesCompleted(),
            remaining),
        task.createdAt(),
        task.startedAt(),
        task.updatedAt(),
        task.completedAt(),
        task.outputPreview());
  }

  /** Lowercase, with RUNNING called processing as in the document. */
  static String status(TaskStatus status) {
    return status == TaskStatus.RUNNING ? "processing" : status.name().toLowerCase(Locale.ROOT);
  }

  private static long minutesUp(Duration d) {
    return d.isNegative() ? 0 : (d.toSeconds() + 59) / 60;
  }
}
