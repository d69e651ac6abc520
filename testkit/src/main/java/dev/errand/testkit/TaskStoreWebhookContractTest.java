package dev.errand.testkit;

import static dev.errand.testkit.TaskRecords.aPendingTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.errand.TaskEventType;
import dev.errand.TaskStatus;
import dev.errand.spi.TaskRecord;
import dev.errand.spi.WebhookOutcome;
import dev.errand.webhook.WebhookDelivery;
import dev.errand.webhook.WebhookDelivery.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The webhook delivery part of the store contract: deliveries recorded for the events of tasks with
 * a webhook URL, once each even when prepared concurrently; taken under a lease; outcomes; gone
 * URLs.
 */
public abstract class TaskStoreWebhookContractTest extends TaskStoreBasicContractTest {
  private static final String URL = "https://hooks.example.com/errand";

  @Test
  void eachEventOfATaskWithAWebhookGetsOnePendingDelivery() {
    TaskRecord task = insert(aPendingTask(T0).webhookUrl(URL));
    TaskRecord plain = insert(aPendingTask(T0).runAfter(T0.plusSeconds(3600)));
    TaskRecord claimed = claimOne(task);
    store.complete(completion(claimed, TaskStatus.COMPLETED, T0.plusSeconds(60)));
    prepareAll(T0.plusSeconds(61));
    prepareAll(T0.plusSeconds(62)); // nothing new: nothing recorded twice

    List<WebhookDelivery> deliveries = store.webhookDeliveries(task.id());
    assertThat(deliveries)
        .extracting(WebhookDelivery::eventType)
        .containsExactly(
            TaskEventType.TASK_SUBMITTED, TaskEventType.TASK_STARTED, TaskEventType.TASK_COMPLETED);
    assertThat(deliveries).extracting(WebhookDelivery::eventSeq).isSorted().doesNotHaveDuplicates();
    WebhookDelivery done = deliveries.get(2);
    assertThat(done.url()).isEqualTo(URL);
    assertThat(done.organizationId()).isEqualTo("org-a");
    assertThat(done.taskStatus()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.eventAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(done.taskStartedAt()).isEqualTo(T0);
    assertThat(canonical(done.metadata())).isEqualTo("{\"team\":\"research\"}");
    assertThat(deliveries)
        .allSatisfy(
            d -> {
              assertThat(d.status()).isEqualTo(Status.PENDING);
              assertThat(d.attempts()).isZero();
              assertThat(d.nextAttemptAt()).isBeforeOrEqualTo(T0.plusSeconds(62));
            });
    assertThat(store.webhookDeliveries(plain.id())).as("no webhook URL, no deliveries").isEmpty();
  }

  @Test
  void aTakenDeliveryIsNotTakenAgainUntilItsLeaseEnds() {
    for (int i = 0; i < 3; i++) {
      insert(aPendingTask(T0).webhookUrl(URL));
    }
    prepareAll(T0);
    Instant leaseUntil = T0.plusSeconds(60);
    assertThat(store.claimWebhookDeliveries(T0, leaseUntil, 2)).hasSize(2);
    assertThat(store.claimWebhookDeliveries(T0, leaseUntil, 10)).hasSize(1);
    assertThat(store.claimWebhookDeliveries(T0.plusSeconds(59), leaseUntil, 10)).isEmpty();
    assertThat(store.claimWebhookDeliveries(leaseUntil, leaseUntil.plusSeconds(60), 10)).hasSize(3);
  }

  @Test
  void anOutcomeIsRecordedOnlyWhileTheDeliveryIsPending() {
    TaskRecord task = insert(aPendingTask(T0).webhookUrl(URL));
    prepareAll(T0);
    WebhookDelivery d = store.claimWebhookDeliveries(T0, T0.plusSeconds(60), 1).get(0);
    Instant retryAt = T0.plusSeconds(5);
    assertThat(
            store.recordWebhookOutcome(
                new WebhookOutcome(d.eventSeq(), Status.PENDING, 1, retryAt, 503, "HTTP 503", T0)))
        .isTrue();
    assertThat(store.claimWebhookDeliveries(retryAt.minusMillis(1), retryAt, 1)).isEmpty();
    WebhookDelivery retried =
        store.claimWebhookDeliveries(retryAt, retryAt.plusSeconds(60), 1).get(0);
    assertThat(retried.attempts()).isEqualTo(1);
    assertThat(retried.lastResponseCode()).isEqualTo(503);
    assertThat(retried.lastError()).isEqualTo("HTTP 503");

    Instant at = retryAt.plusSeconds(1);
    assertThat(
            store.recordWebhookOutcome(
                new WebhookOutcome(d.eventSeq(), Status.DELIVERED, 2, at, 200, null, at)))
        .isTrue();
    assertThat(
            store.recordWebhookOutcome(
                new WebhookOutcome(d.eventSeq(), Status.FAILED, 3, at, null, "late", at)))
        .as("a delivered delivery stays delivered")
        .isFalse();
    WebhookDelivery delivered = store.webhookDeliveries(task.id()).get(0);
    assertThat(delivered.status()).isEqualTo(Status.DELIVERED);
    assertThat(delivered.attempts()).isEqualTo(2);
    assertThat(delivered.lastResponseCode()).isEqualTo(200);
    assertThat(delivered.lastError()).isNull();
    assertThat(store.claimWebhookDeliveries(at.plusSeconds(3600), at.plusSeconds(3660), 10))
        .isEmpty();
  }

  @Test
  void aGoneUrlStopsTheOrganizationsPendingDeliveriesAndGetsNoMore() {
    TaskRecord a1 = insert(aPendingTask(T0).webhookUrl(URL));
    TaskRecord a2 = insert(aPendingTask(T0).webhookUrl(URL));
    TaskRecord other = insert(aPendingTask(T0).webhookUrl(URL + "/other"));
    TaskRecord b = insert(aPendingTask(T0).organizationId("org-b").webhookUrl(URL));
    prepareAll(T0);
    store.markWebhookUrlGone("org-a", URL, T0.plusSeconds(1));
    store.markWebhookUrlGone("org-a", URL, T0.plusSeconds(2)); // again: no change
    TaskRecord a3 = insert(aPendingTask(T0).webhookUrl(URL));
    prepareAll(T0.plusSeconds(3));

    assertThat(List.of(a1, a2)).allSatisfy(t -> assertThat(status(t)).isEqualTo(Status.GONE));
    assertThat(status(other)).isEqualTo(Status.PENDING);
    assertThat(status(b)).as("another organization's URL").isEqualTo(Status.PENDING);
    assertThat(store.webhookDeliveries(a3.id())).isEmpty();
  }

  @Test
  void concurrentPreparesRecordEachEventOnce() throws Exception {
    int tasks = 200;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicBoolean writing = new AtomicBoolean(true);
    List<TaskRecord> inserted = java.util.Collections.synchronizedList(new ArrayList<>());
    try {
      List<Future<?>> preparers = new ArrayList<>();
      for (int p = 0; p < 3; p++) {
        preparers.add(
            pool.submit(
                () -> {
                  while (writing.get()) {
                    store.prepareWebhookDeliveries(T0, 7);
                  }
                }));
      }
      for (int i = 0; i < tasks; i++) {
        inserted.add(insert(aPendingTask(T0).webhookUrl(URL)));
      }
      writing.set(false);
      for (Future<?> f : preparers) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    prepareAll(T0);
    assertThat(inserted).allSatisfy(t -> assertThat(store.webhookDeliveries(t.id())).hasSize(1));
  }

  private Status status(TaskRecord task) {
    return store.webhookDeliveries(task.id()).get(0).status();
  }

  /** Has the store consider every recorded event, a few at a time. */
  protected void prepareAll(Instant now) {
    while (store.prepareWebhookDeliveries(now, 2) > 0) {
      // next few
    }
  }
}
