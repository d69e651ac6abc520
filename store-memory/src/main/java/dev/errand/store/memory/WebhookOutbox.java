package dev.errand.store.memory;

import dev.errand.TaskEvent;
import dev.errand.spi.TaskRecord;
import dev.errand.spi.WebhookClaim;
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

  static final String GONE_BEFORE = "the URL answered 410 Gone before";

  private final Map<Long, WebhookDelivery> bySeq = new HashMap<>();
  private final Map<UUID, List<Long>> byTask = new HashMap<>();
  private final TreeSet<WebhookDelivery> pending = new TreeSet<>(DUE_ORDER);
  private final Set<List<String>> goneUrls = new HashSet<>();

  /** Records the event's delivery if its task has a webhook URL: GONE if the URL is gone. */
  void record(TaskRecord task, TaskEvent event) {
    String url = task.webhookUrl();
    if (url == null) {
      return;
    }
    boolean gone = goneUrls.contains(List.of(task.organizationId(), url));
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
            gone ? Status.GONE : Status.PENDING,
            0,
            event.at(),
            null,
            gone ? GONE_BEFORE : null,
            event.at());
    put(d);
    byTask.computeIfAbsent(task.id(), id -> new ArrayList<>()).add(d.eventSeq());
  }

  List<WebhookDelivery> claim(WebhookClaim claim) {
    List<WebhookDelivery> candidates = new ArrayList<>();
    Map<String, Integer> perOrganization = new HashMap<>();
    for (WebhookDelivery d : pending) {
      if (candidates.size() == claim.limit() || d.nextAttemptAt().isAfter(claim.now())) {
        break;
      }
      String org = d.organizationId();
      if (!claim.skipOrganizations().contains(org)
          && perOrganization.merge(org, 1, Integer::sum) <= claim.perOrganization()) {
        candidates.add(d);
      }
    }
    List<WebhookDelivery> taken = new ArrayList<>();
    for (WebhookDelivery d : candidates) {
      WebhookDelivery t =
          with(
              d,
              Status.PENDING,
              d.attempts(),
              claim.leaseUntil(),
              d.lastResponseCode(),
              d.lastError(),
              claim.now());
      put(t);
      taken.add(t);
    }
    return taken;
  }

  boolean record(WebhookOutcome o) {
    WebhookDelivery d = bySeq.get(o.eventSeq());
    if (d == null || d.status() != Status.PENDING || !d.nextAttemptAt().equals(o.takenUntil())) {
      return false;
    }
    put(with(d, o.status(), o.attempts(), o.nextAttemptAt(), o.responseCode(), o.error(), o.at()));
    if (o.status() == Status.GONE) {
      markGone(d.organizationId(), d.url(), o.at());
    }
    return true;
  }

  private void markGone(String organizationId, String url, Instant at) {
    goneUrls.add(List.of(organizationId, url));
    List<WebhookDelivery> stopped =
        pending.stream()
            .filter(d -> d.organizationId().equals(organizationId) && d.url().equals(url))
            .toList();
    for (WebhookDelivery d : stopped) {
      put(
          with(
              d,
              Status.GONE,
              d.attempts(),
              d.nextAttemptAt(),
              d.lastResponseCode(),
              GONE_BEFORE,
              at));
    }
  }

  void clearGone(String organizationId, String url) {
    goneUrls.remove(List.of(organizationId, url));
  }

  List<WebhookDelivery> ofTask(UUID taskId) {
    return byTask.getOrDefault(taskId, List.of()).stream().map(bySeq::get).toList();
  }

  private static WebhookDelivery with(
      WebhookDelivery d,
      Status status,
      int attempts,
      Instant nextAttemptAt,
      Integer lastResponseCode,
      String lastError,
      Instant updatedAt) {
    return new WebhookDelivery(
        d.eventSeq(),
        d.taskId(),
        d.organizationId(),
        d.url(),
        d.eventType(),
        d.eventAt(),
        d.taskStatus(),
        d.taskStartedAt(),
        d.metadata(),
        status,
        attempts,
        nextAttemptAt,
        lastResponseCode,
        lastError,
        updatedAt);
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
