package dev.errand;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One change of a task, as recorded by the store in the same transaction as the change itself, with
 * the task's status, attempt and progress just after it. A listener that needs more of the task
 * reads it with {@link TaskEngine#find(UUID)}.
 *
 * @param seq the store-wide sequence number; events are delivered in this order
 * @param taskId the task that changed
 * @param organizationId the task's organization
 * @param type what happened
 * @param at when it happened, by the engine's clock
 * @param status the task's status after the change
 * @param attempt the task's attempt count after the change
 * @param percentage the task's progress percentage after the change
 * @param stage the task's current stage after the change, or {@code null}
 */
public record TaskEvent(
    long seq,
    UUID taskId,
    String organizationId,
    TaskEventType type,
    Instant at,
    TaskStatus status,
    int attempt,
    int percentage,
    String stage) {
  /** Checks the values are present. */
  public TaskEvent {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(status, "status");
  }
}
