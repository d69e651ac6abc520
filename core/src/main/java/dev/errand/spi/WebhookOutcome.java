package dev.errand.spi;

import dev.errand.webhook.WebhookDelivery;
import java.time.Instant;
import java.util.Objects;

/**
 * What became of an attempt to deliver a webhook, or a delivery given back unattempted.
 *
 * @param eventSeq the delivery's event
 * @param takenUntil the lease the delivery was taken with ({@link WebhookClaim#leaseUntil()}): the
 *     outcome applies only while the delivery is still held under it
 * @param status the delivery's status after the attempt
 * @param attempts the attempts made, this one included
 * @param nextAttemptAt when to try again, if still pending; otherwise the attempt's instant
 * @param responseCode the receiver's HTTP status, or {@code null} if there was no answer
 * @param error why the attempt did not count, or {@code null}
 * @param at when the attempt ended
 */
public record WebhookOutcome(
    long eventSeq,
    Instant takenUntil,
    WebhookDelivery.Status status,
    int attempts,
    Instant nextAttemptAt,
    Integer responseCode,
    String error,
    Instant at) {
  /** Checks the values are present. */
  public WebhookOutcome {
    Objects.requireNonNull(takenUntil, "takenUntil");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    Objects.requireNonNull(at, "at");
  }
}
