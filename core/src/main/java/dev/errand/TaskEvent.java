package dev.errand;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One change of a task, as recorded by the store in the same transaction as the change itself.
 * Events carry no payload: a listener that needs the task's state reads it with {@link
 * TaskEngine#find(UUID)}.
 *
 * @param seq the store-wide sequence number; events are delivered in this order
 * @param taskId the task that changed
 * @param organizationId the task's organization
 * @param type what happened
 * @param at when it happened, by the engine's clock
 */
public record TaskEvent(
    long seq, UUID taskId, String organizationId, TaskEventType type, Instant at) {
  /** Checks the values are present. */
  public TaskEvent {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
  }
}
