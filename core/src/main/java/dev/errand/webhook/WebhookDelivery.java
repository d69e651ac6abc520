package dev.errand.webhook;

import dev.errand.TaskEventType;
import dev.errand.TaskStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One event of one task on its way to the task's webhook URL, as stored: what is sent (built from
 * the event, the task's metadata and start) and how far its delivery has got.
 *
 * @param eventSeq the event's sequence number; a task event has at most one delivery
 * @param taskId the task
 * @param organizationId the task's organization, whose secrets sign the delivery
 * @param url the task's webhook URL
 * @param eventType what happened
 * @param eventAt when it happened
 * @param taskStatus the task's status just after the event
 * @param taskStartedAt when the task first started, or {@code null} if it had not when the delivery
 *     was recorded
 * @param metadata the task's metadata, a JSON object
 * @param status how far the delivery has got
 * @param attempts how many attempts were made
 * @param nextAttemptAt when the next attempt is due, while {@link Status#PENDING}
 * @param lastResponseCode the HTTP status of the last attempt, or {@code null} if it got none
 * @param lastError why the last attempt did not count, or {@code null}
 * @param updatedAt when the delivery last changed
 */
public record WebhookDelivery(
    long eventSeq,
    UUID taskId,
    String organizationId,
    String url,
    TaskEventType eventType,
    Instant eventAt,
    TaskStatus taskStatus,
    Instant taskStartedAt,
    String metadata,
    Status status,
    int attempts,
    Instant nextAttemptAt,
    Integer lastResponseCode,
    String lastError,
    Instant updatedAt) {

  /** How far a delivery has got. */
  public enum Status {
    /** Not delivered yet; the next attempt is due at {@code nextAttemptAt}. */
    PENDING,
    /** The receiver answered an attempt with a 2xx status. */
    DELIVERED,
    /** Given up: every attempt failed, or the URL was refused at delivery. */
    FAILED,
    /** The receiver answered 410 Gone to this or another delivery to the same URL. */
    GONE
  }

  /** Checks the values are present. */
  public WebhookDelivery {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(eventAt, "eventAt");
    Objects.requireNonNull(taskStatus, "taskStatus");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /**
   * The {@code webhook-id} header: the same on every attempt, and different for every event of
   * every task, so a receiver can drop a repeat.
   */
  public String id() {
    return "msg_" + taskId.toString().replace("-", "") + "_" + eventSeq;
  }
}
