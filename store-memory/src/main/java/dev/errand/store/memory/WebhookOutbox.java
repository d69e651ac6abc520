package dev.errand.store.memory;

import dev.errand.TaskEvent;
import dev.errand.spi.TaskRecord;
import dev.errand.spi.WebhookOutcome;
import dev.errand.webhook.WebhookDelivery;
import dev.errand.webhook.WebhookDelivery.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The in-memory store's webhook deliveries, recorded with the events themselves. Not thread-safe:
 * the store calls it while holding its own lock.
 */
final class WebhookOutbox {
  private static final Comparator<WebhookDelivery> DUE_ORDER =
      Comparator.comparing(WebhookDelivery::nextAttemptAt)
          .thenComparingLong(WebhookDelivery::eventSeq);

  private final Map<Long, WebhookDelivery> bySeq = new HashMap<>();
  private final Map<UUID, List<Long>> byTask = new HashMap<>();
  private final TreeSet<WebhookDelivery> pending = new TreeSet<>(DUE_ORDER);
  private final Set<List<String>> goneUrls = new HashSet<>();

  /** Records the event's delivery if its task has a webhook URL that is not gone. */
  void record(TaskRecord task, TaskEvent event) {
    String url = task.webhookUrl();
    if (url == null || goneUrls.contains(List.of(task.organizationId(), url))) {
      return;
    }
    WebhookDelivery d =
        new WebhookDelivery(
            event.seq(),
            task.id(),
            task.organizationId(),
            url,
            event.type(),
            event.at(),
            event.status(),
            task.startedAt(),
            task.metadata(),
            Status.PENDING,
            0,
            event.at(),
            null,
            null,
            event.at());
    put(d);
    byTask.computeIfAbsent(task.id(), id -> new ArrayList<>()).add(d.eventSeq());
  }

  List<WebhookDelivery> claim(Instant now, Instant leaseUntil, int limit) {
    List<WebhookDelivery> taken = new ArrayList<>();
    for (WebhookDelivery d : pending) {
      if (taken.size() == limit || d.nextAttemptAt().isAfter(now)) {
        break;
      }
      taken.add(d);
    }
    for (WebhookDelivery d : taken) {
      put(
          d.with(
              Status.PENDING, d.attempts(), leaseUntil, d.lastResponseCode(), d.lastError(), now));
    }
    return taken;
  }

  boolean record(WebhookOutcome o) {
    WebhookDelivery d = bySeq.get(o.eventSeq());
    if (d == null || d.status() != Status.PENDING) {
      return false;
    }
    put(d.with(o.status(), o.attempts(), o.nextAttemptAt(), o.responseCode(), o.error(), o.at()));
    return true;
  }

  void markGone(String organizationId, String url, Instant at) {
    goneUrls.add(List.of(organizationId, url));
    List<WebhookDelivery> stopped =
        pending.stream()
            .filter(d -> d.organizationId().equals(organizationId) && d.url().equals(url))
            .toList();
    for (WebhookDelivery d : stopped) {
      put(
          d.with(
              Status.GONE,
              d.attempts(),
              d.nextAttemptAt(),
              d.lastResponseCode(),
              d.lastError(),
              at));
    }
  }

  List<WebhookDelivery> ofTask(UUID taskId) {
    return byTask.getOrDefault(taskId, List.of()).stream().map(bySeq::get).toList();
  }

  private void put(WebhookDelivery d) {
    WebhookDelivery before = bySeq.put(d.eventSeq(), d);
    if (before != null) {
      pending.remove(before);
    }
    if (d.status() == Status.PENDING) {
      pending.add(d);
    }
  }
}
