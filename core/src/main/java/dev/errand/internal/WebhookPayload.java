package dev.errand.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.errand.webhook.WebhookDelivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The body of a webhook, in the task API document's form: {@code event_type}, {@code task_id},
 * {@code timestamp}, {@code data} ({@code status}, {@code duration_minutes}, {@code
 * results_available}, {@code results_url}) and the task's {@code metadata}. Built only from the
 * stored delivery, so every attempt sends the same bytes.
 */
final class WebhookPayload {
  private final Json json;

  WebhookPayload(Json json) {
    this.json = json;
  }

  byte[] body(WebhookDelivery d) {
    String taskId = "task_" + d.taskId();
    ObjectNode root = json.mapper().createObjectNode();
    root.put("event_type", d.eventType().wireName());
    root.put("task_id", taskId);
    root.put("timestamp", d.eventAt().truncatedTo(ChronoUnit.SECONDS).toString());
    ObjectNode data = root.putObject("data");
    data.put("status", d.taskStatus().wireName());
    data.put("duration_minutes", durationMinutes(d));
    data.put("results_available", d.taskStatus().isFinal());
    data.put("results_url", "/api/v1/tasks/" + taskId + "/results");
    root.set("metadata", json.tree(d.metadata()));
    return json.writeValue(root).getBytes(StandardCharsets.UTF_8);
  }

  /** Whole minutes from the task's first start to the event; 0 before it started. */
  private static long durationMinutes(WebhookDelivery d) {
    if (d.taskStartedAt() == null || d.taskStartedAt().isAfter(d.eventAt())) {
      return 0;
    }
    return Duration.between(d.taskStartedAt(), d.eventAt()).toMinutes();
  }
}
