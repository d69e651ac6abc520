package dev.errand.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A stored recurring schedule: the task it creates at each occurrence, when it fires, and how far
 * it has got. Each occurrence creates one task, whose metadata holds {@code schedule_id} and {@code
 * scheduled_for}; several engines on one store create it once.
 *
 * @param id the schedule's id
 * @param organizationId who may see it and its tasks
 * @param ownerId who created it
 * @param idempotencyKey the key it was created with, unique in its organization, or {@code null};
 *     creating a schedule with a key the organization has used answers with the first schedule
 * @param taskType the tasks' type
 * @param priority the tasks' priority
 * @param input the tasks' input, JSON
 * @param metadata the tasks' metadata, a JSON object
 * @param webhookUrl the tasks' webhook URL, or {@code null}
 * @param timeout the tasks' timeout
 * @param maxAttempts the tasks' most attempts
 * @param recurrence when it fires, in the task document's form ({@link RecurrenceForm}), JSON
 * @param overlap what an occurrence does while the previous task runs
 * @param catchUpLimit after downtime, how many missed occurrences fire (the latest ones); 1 fires
 *     the latest only
 * @param status whether it fires
 * @param nextFireAt its next occurrence
 * @param lastFireAt the occurrence of the last task it created, or {@code null}
 * @param lastTaskId the last task it created, or {@code null}
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 */
public record Schedule(
    UUID id,
    String organizationId,
    String ownerId,
    String idempotencyKey,
    String taskType,
    int priority,
    String input,
    String metadata,
    String webhookUrl,
    Duration timeout,
    int maxAttempts,
    String recurrence,
    OverlapPolicy overlap,
    int catchUpLimit,
    ScheduleStatus status,
    Instant nextFireAt,
    Instant lastFireAt,
    UUID lastTaskId,
    Instant createdAt,
    Instant updatedAt) {
  /** Checks the values are present. */
  public Schedule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(ownerId, "ownerId");
    Objects.requireNonNull(taskType, "taskType");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(recurrence, "recurrence");
    Objects.requireNonNull(overlap, "overlap");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(nextFireAt, "nextFireAt");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** This schedule advanced past an occurrence. */
  public Schedule advanced(Instant next, Instant lastFire, UUID lastTask, Instant at) {
    return changed(status, next, lastFire, lastTask, at);
  }

  /** This schedule with another status and next occurrence. */
  public Schedule withStatus(ScheduleStatus newStatus, Instant next, Instant at) {
    return changed(newStatus, next, lastFireAt, lastTaskId, at);
  }

  private Schedule changed(
      ScheduleStatus newStatus, Instant next, Instant lastFire, UUID lastTask, Instant at) {
    return new Schedule(
        id,
        organizationId,
        ownerId,
        idempotencyKey,
        taskType,
        priority,
        input,
        metadata,
        webhookUrl,
        timeout,
        maxAttempts,
        recurrence,
        overlap,
        catchUpLimit,
        newStatus,
        next,
        lastFire,
        lastTask,
        createdAt,
        at);
  }
}
