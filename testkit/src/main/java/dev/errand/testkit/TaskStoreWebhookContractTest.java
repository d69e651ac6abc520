package dev.errand.testkit;

import static dev.errand.testkit.TaskRecords.aPendingTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.errand.TaskEventType;
import dev.errand.TaskStatus;
import dev.errand.spi.TaskRecord;
import dev.errand.spi.WebhookClaim;
import dev.errand.spi.WebhookOutcome;
import dev.errand.webhook.WebhookDelivery;
import dev.errand.webhook.WebhookDelivery.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The webhook delivery part of the store contract: deliveries recorded for the events of tasks with
 * a webhook URL, once each even when prepared concurrently; taken under a lease, within limits per
 * organization; outcomes only from the lease's holder; gone URLs.
 */
public abstract class TaskStoreWebhookContractTest extends TaskStoreBasicContractTest {
  private static final String URL = "https://hooks.example.com/errand";
  private static final Instant LEASE_END = T0.plusSeconds(120);

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
    List<WebhookDelivery> first = claim(T0, 2, 10);
    assertThat(first).hasSize(2).allMatch(d -> d.nextAttemptAt().equals(LEASE_END));
    assertThat(claim(T0, 10, 10)).hasSize(1);
    assertThat(claim(LEASE_END.minusSeconds(1), 10, 10)).isEmpty();
    assertThat(
            store.claimWebhookDeliveries(
                new WebhookClaim(LEASE_END, LEASE_END.plusSeconds(120), 10, 10, Set.of())))
        .hasSize(3);
  }

  @Test
  void aClaimTakesAtMostSoManyOfOneOrganizationAndNoneOfOneSkipped() {
    for (int i = 0; i < 5; i++) {
      insert(aPendingTask(T0).webhookUrl(URL));
    }
    TaskRecord b = insert(aPendingTask(T0.plusSeconds(1)).organizationId("org-b").webhookUrl(URL));
    TaskRecord c = insert(aPendingTask(T0.plusSeconds(1)).organizationId("org-c").webhookUrl(URL));
    prepareAll(T0.plusSeconds(1));
    List<WebhookDelivery> taken =
        store.claimWebhookDeliveries(
            new WebhookClaim(T0.plusSeconds(1), LEASE_END, 10, 2, Set.of("org-c")));
    assertThat(taken)
        .extracting(WebhookDelivery::organizationId)
        .containsExactlyInAnyOrder("org-a", "org-a", "org-b");
    assertThat(taken).extracting(WebhookDelivery::taskId).contains(b.id()).doesNotContain(c.id());
  }

  @Test
  void onlyTheHolderOfTheLeaseRecordsAnOutcome() {
    TaskRecord task = insert(aPendingTask(T0).webhookUrl(URL));
    prepareAll(T0);
    WebhookDelivery byA = claim(T0, 1, 1).get(0);
    WebhookDelivery byB = // A's lease ended without an outcome: B takes it
        store
            .claimWebhookDeliveries(
                new WebhookClaim(LEASE_END, LEASE_END.plusSeconds(120), 1, 1, Set.of()))
            .get(0);
    Instant late = LEASE_END.plusSeconds(1);
    assertThat(
            store.recordWebhookOutcome(outcome(byA, Status.PENDING, 1, late.plusSeconds(5), late)))
        .as("A's late outcome")
        .isFalse();
    assertThat(store.recordWebhookOutcome(outcome(byB, Status.DELIVERED, 1, late, late))).isTrue();
    assertThat(store.recordWebhookOutcome(outcome(byB, Status.FAILED, 2, late, late)))
        .as("a delivered delivery stays delivered")
        .isFalse();
    WebhookDelivery delivered = store.webhookDeliveries(task.id()).get(0);
    assertThat(delivered.status()).isEqualTo(Status.DELIVERED);
    assertThat(delivered.attempts()).isEqualTo(1);
    assertThat(delivered.lastResponseCode()).isEqualTo(200);
  }

  @Test
  void aRetryIsDueAtItsNextAttemptWithItsLastAnswer() {
    insert(aPendingTask(T0).webhookUrl(URL));
    prepareAll(T0);
    WebhookDelivery d = claim(T0, 1, 1).get(0);
    Instant retryAt = T0.plusSeconds(5);
    assertThat(store.recordWebhookOutcome(outcome(d, Status.PENDING, 1, retryAt, T0))).isTrue();
    assertThat(claim(retryAt.minusMillis(1), 1, 1)).isEmpty();
    WebhookDelivery retried = claim(retryAt, 1, 1).get(0);
    assertThat(retried.attempts()).isEqualTo(1);
    assertThat(retried.lastResponseCode()).isEqualTo(503);
    assertThat(retried.lastError()).isEqualTo("HTTP 503");
  }

  @Test
  void aGoneAnswerStopsTheOrganizationsDeliveriesToTheUrlUntilCleared() {
    TaskRecord a1 = insert(aPendingTask(T0).webhookUrl(URL));
    TaskRecord a2 = insert(aPendingTask(T0).webhookUrl(URL));
    TaskRecord other = insert(aPendingTask(T0).webhookUrl(URL + "/other"));
    TaskRecord b = insert(aPendingTask(T0).organizationId("org-b").webhookUrl(URL));
    prepareAll(T0);
    WebhookDelivery d = claim(T0, 1, 1).get(0);
    assertThat(d.taskId()).isEqualTo(a1.id());
    assertThat(store.recordWebhookOutcome(outcome(d, Status.GONE, 1, T0, T0))).isTrue();
    TaskRecord a3 = insert(aPendingTask(T0).webhookUrl(URL));
    prepareAll(T0.plusSeconds(3));

    assertThat(status(a1)).isEqualTo(Status.GONE);
    assertThat(status(a2)).isEqualTo(Status.GONE);
    assertThat(store.webhookDeliveries(a2.id()).get(0).lastError()).contains("410 Gone before");
    assertThat(status(a3)).as("a later event, recorded as gone").isEqualTo(Status.GONE);
    assertThat(status(other)).isEqualTo(Status.PENDING);
    assertThat(status(b)).as("another organization's URL").isEqualTo(Status.PENDING);

    store.clearGoneWebhookUrl("org-a", URL);
    TaskRecord a4 = insert(aPendingTask(T0).webhookUrl(URL));
    prepareAll(T0.plusSeconds(4));
    assertThat(status(a4)).isEqualTo(Status.PENDING);
    assertThat(status(a2)).as("what the 410 stopped stays stopped").isEqualTo(Status.GONE);
  }

  @Test
  void concurrentPreparesRecordEachEventOnce() throws Exception {
    int tasks = 200;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicBoolean writing = new AtomicBoolean(true);
    List<TaskRecord> inserted = Collections.synchronizedList(new ArrayList<>());
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

  @Test
  void concurrentClaimsNeverTakeTheSameDelivery() throws Exception {
    for (int i = 0; i < 60; i++) {
      insert(aPendingTask(T0).organizationId("org-" + (i % 6)).webhookUrl(URL));
    }
    prepareAll(T0);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Long> taken = Collections.synchronizedList(new ArrayList<>());
    try {
      List<Future<?>> claimers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        claimers.add(
            pool.submit(
                () -> {
                  List<WebhookDelivery> batch;
                  while (!(batch = claim(T0, 3, 2)).isEmpty()) {
                    batch.forEach(d -> taken.add(d.eventSeq()));
                  }
                }));
      }
      for (Future<?> f : claimers) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(taken).hasSize(60).doesNotHaveDuplicates();
  }

  private List<WebhookDelivery> claim(Instant now, int limit, int perOrganization) {
    return store.claimWebhookDeliveries(
        new WebhookClaim(now, LEASE_END, limit, perOrganization, Set.of()));
  }

  private static WebhookOutcome outcome(
      WebhookDelivery held, Status status, int attempts, Instant next, Instant at) {
    Integer code = status == Status.DELIVERED ? 200 : status == Status.GONE ? 410 : 503;
    String error = status == Status.DELIVERED ? null : "HTTP " + code;
    return new WebhookOutcome(
        held.eventSeq(), held.nextAttemptAt(), status, attempts, next, code, error, at);
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
