package dev.errand.internal;

import dev.errand.Progress;
import dev.errand.Task;
import dev.errand.TaskError;
import dev.errand.spi.TaskRecord;
import java.net.URI;

/** Turns store records into public task snapshots. */
final class TaskMapper {
  private final Json json;

  TaskMapper(Json json) {
    this.json = json;
  }

  private static String errorMessage(TaskRecord r) {
    return r.errorMessage() == null ? r.errorCode() : r.errorMessage();
  }

  Task toTask(TaskRecord r) {
    return new Task(
        r.id(),
        r.organizationId(),
        r.ownerId(),
        r.taskType(),
        r.priority(),
        r.status(),
        json.tree(r.input()),
        json.tree(r.metadata()),
        r.webhookUrl() == null ? null : URI.create(r.webhookUrl()),
        r.idempotencyKey(),
        r.skillRef(),
        r.model(),
        r.runAfter(),
        r.timeout(),
        r.maxAttempts(),
        r.attempt(),
        r.leaseLosses(),
        new Progress(r.progressPercentage(), r.currentStage(), r.stagesCompleted()),
        json.tree(r.outputPreview()),
        json.tree(r.result()),
        r.report(),
        r.errorCode() == null ? null : new TaskError(r.errorCode(), errorMessage(r)),
        r.cancelRequested(),
        r.cancelReason(),
        r.createdAt(),
        r.startedAt(),
        r.updatedAt(),
        r.completedAt());
  }
}
