package dev.errand;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A snapshot of a task as the store held it when it was read. Snapshots are never updated; read the
 * task again for its current state. JSON values are the engine's own copies.
 *
 * @param id time-ordered identifier
 * @param organizationId the organization that owns the task; only it may see the task
 * @param ownerId the user or service that submitted it
 * @param taskType the type, which names the agent that runs it
 * @param priority 1 to 10, higher runs first
 * @param status where the task is in its life cycle
 * @param input the agent's input
 * @param metadata free-form JSON object given at submit, returned as given
 * @param webhookUrl where to post updates, or {@code null}
 * @param idempotencyKey the submitter's key, unique per organization, or {@code null}
 * @param skillRef a skill the agent must load first, or {@code null}
 * @param model the model the agent should use, or {@code null} for its default
 * @param runAfter the task is not started before this instant
 * @param timeout the longest a run may take before the task fails with {@link
 *     TaskError#TASK_TIMEOUT}
 * @param maxAttempts how many runs the task may have in all
 * @param attempt how many runs have been charged to the agent so far; a run cut short because its
 *     lease was lost (its worker died or stalled) is not charged, it counts in {@code leaseLosses}
 * @param leaseLosses how often the task's worker stopped renewing its lease and another run took
 *     the task over; past the engine's limit the task fails with {@link
 *     TaskError#LEASE_LOSSES_EXCEEDED}
 * @param progress the progress the agent last reported
 * @param outputPreview partial output the agent published while running, or {@code null}
 * @param result the final result, or {@code null}
 * @param report the agent's account of what it did and did not do, or {@code null}
 * @param error why the task failed (or last failed, while it is retried), or {@code null}
 * @param cancelRequested whether a graceful cancel has been asked for
 * @param cancelReason the reason given with the cancel, or {@code null}
 * @param createdAt when the task was accepted
 * @param startedAt when its first run started, or {@code null}
 * @param updatedAt when it last changed
 * @param completedAt when it reached a final status, or {@code null}
 */
public record Task(
    UUID id,
    String organizationId,
    String ownerId,
    String taskType,
    int priority,
    TaskStatus status,
    JsonNode input,
    JsonNode metadata,
    URI webhookUrl,
    String idempotencyKey,
    String skillRef,
    String model,
    Instant runAfter,
    Duration timeout,
    int maxAttempts,
    int attempt,
    int leaseLosses,
    Progress progress,
    JsonNode outputPreview,
    JsonNode result,
    String report,
    TaskError error,
    boolean cancelRequested,
    String cancelReason,
    Instant createdAt,
    Instant startedAt,
    Instant updatedAt,
    Instant completedAt) {

  /** Checks that the required values are present. */
  public Task {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(taskType, "taskType");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** Whether the task has reached a final status. */
  public boolean isFinal() {
    return status.isFinal();
  }

  /** Time from the first start to the final status, once the task has both. */
  public Optional<Duration> duration() {
    if (startedAt == null || completedAt == null) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(startedAt, completedAt));
  }
}
