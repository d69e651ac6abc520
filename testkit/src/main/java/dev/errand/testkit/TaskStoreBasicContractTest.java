package dev.errand.testkit;

import static dev.errand.testkit.TaskRecords.TYPE;
import static dev.errand.testkit.TaskRecords.aPendingTask;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.SortOrder;
import dev.errand.TaskEvent;
import dev.errand.TaskEventType;
import dev.errand.TaskQuery;
import dev.errand.TaskSort;
import dev.errand.TaskStatus;
import dev.errand.spi.CancelCommand;
import dev.errand.spi.CheckpointWrite;
import dev.errand.spi.ClaimRequest;
import dev.errand.spi.Completion;
import dev.errand.spi.InsertResult;
import dev.errand.spi.LeaseRef;
import dev.errand.spi.ProgressUpdate;
import dev.errand.spi.ReclaimRequest;
import dev.errand.spi.Release;
import dev.errand.spi.RenewRequest;
import dev.errand.spi.RenewResult;
import dev.errand.spi.TaskRecord;
import dev.errand.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The first half of the store contract: insert, find, list, checkpoints, progress, completion,
 * release, cancel and events, with the helpers both halves use. Stores extend {@link
 * TaskStoreContractTest}, which adds claiming, leases and fencing.
 */
public abstract class TaskStoreBasicContractTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The instant each test starts at. */
  protected static final Instant T0 = MutableClock.DEFAULT_START;

  /** The store under test. */
  protected TaskStore store;

  /** A fresh, empty store. */
  protected abstract TaskStore newStore();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  /** Inserts a task and returns it as stored. */
  protected TaskRecord insert(TaskRecord.Builder task) {
    return store.insert(task.build()).task();
  }

  /** Claims for worker "w1" at {@code now} with a 30 s lease. */
  protected List<TaskRecord> claim(Instant now, int limit) {
    return store.claim(
        new ClaimRequest("w1", now, now.plusSeconds(30), limit, Set.of(TYPE, "other")));
  }

  @Test
  void insertedTaskIsFoundAsGiven() {
    TaskRecord task = aPendingTask(T0).priority(7).webhookUrl("https://example.com/hook").build();
    InsertResult result = store.insert(task);
    assertThat(result.created()).isTrue();
    assertThat(canonical(result.task())).isEqualTo(canonical(task));
    assertThat(canonical(store.find(task.id()).orElseThrow())).isEqualTo(canonical(task));
    assertThat(store.find(UUID.randomUUID())).isEmpty();
  }

  @Test
  void sameIdempotencyKeyInOneOrganizationReturnsTheFirstTask() {
    TaskRecord first = insert(aPendingTask(T0).idempotencyKey("k1"));
    InsertResult again = store.insert(aPendingTask(T0).idempotencyKey("k1").build());
    InsertResult otherOrg =
        store.insert(aPendingTask(T0).idempotencyKey("k1").organizationId("org-b").build());
    assertThat(again.created()).isFalse();
    assertThat(again.task().id()).isEqualTo(first.id());
    assertThat(otherOrg.created()).isTrue();
    assertThat(store.list(TaskQuery.builder().build()).totalCount()).isEqualTo(2);
  }

  @Test
  void listFiltersByStatusTypeAndOrganization() {
    TaskRecord a = insert(aPendingTask(T0));
    TaskRecord b = insert(aPendingTask(T0.plusSeconds(1), "other"));
    TaskRecord c = insert(aPendingTask(T0.plusSeconds(2)).organizationId("org-b"));
    store.cancel(new CancelCommand(c.id(), "no", false, T0));

    assertThat(ids(TaskQuery.builder().statuses(Set.of(TaskStatus.PENDING))))
        .containsOnly(a.id(), b.id());
    assertThat(ids(TaskQuery.builder().taskType("other"))).containsExactly(b.id());
    assertThat(ids(TaskQuery.builder().organizationId("org-b"))).containsExactly(c.id());
    assertThat(
            ids(
                TaskQuery.builder()
                    .statuses(Set.of(TaskStatus.PENDING, TaskStatus.CANCELLED))
                    .organizationId("org-a")
                    .taskType(TYPE)))
        .containsExactly(a.id());
  }

  @Test
  void listSortsByEachFieldBothWays() {
    TaskRecord old = insert(aPendingTask(T0, "t-old").priority(9));
    TaskRecord mid = insert(aPendingTask(T0.plusSeconds(1), "t-mid").priority(1));
    TaskRecord young = insert(aPendingTask(T0.plusSeconds(2), "t-young").priority(5));
    complete(mid, T0.plusSeconds(10));
    complete(old, T0.plusSeconds(20));

    assertThat(ids(sorted(TaskSort.CREATED_AT, SortOrder.ASC)))
        .containsExactly(old.id(), mid.id(), young.id());
    assertThat(ids(sorted(TaskSort.CREATED_AT, SortOrder.DESC)))
        .containsExactly(young.id(), mid.id(), old.id());
    assertThat(ids(sorted(TaskSort.PRIORITY, SortOrder.DESC)))
        .containsExactly(old.id(), young.id(), mid.id());
    assertThat(ids(sorted(TaskSort.PRIORITY, SortOrder.ASC)))
        .containsExactly(mid.id(), young.id(), old.id());
    assertThat(ids(sorted(TaskSort.UPDATED_AT, SortOrder.DESC)))
        .containsExactly(old.id(), mid.id(), young.id());
    assertThat(ids(sorted(TaskSort.COMPLETED_AT, SortOrder.ASC)))
        .containsExactly(mid.id(), old.id(), young.id());
    assertThat(ids(sorted(TaskSort.COMPLETED_AT, SortOrder.DESC)))
        .containsExactly(old.id(), mid.id(), young.id());
  }

  private static TaskQuery.Builder sorted(TaskSort sort, SortOrder order) {
    return TaskQuery.builder().sort(sort, order);
  }

  /** Claims the task alone (it must be the only one of its type) and completes it at {@code at}. */
  private void complete(TaskRecord task, Instant at) {
    TaskRecord claimed =
        store
            .claim(new ClaimRequest("w1", at, at.plusSeconds(30), 1, Set.of(task.taskType())))
            .stream()
            .filter(r -> r.id().equals(task.id()))
            .findFirst()
            .orElseThrow();
    assertThat(store.complete(completion(claimed, TaskStatus.COMPLETED, at))).isTrue();
  }

  @Test
  void listPagesWithTotalCount() {
    for (int i = 0; i < 25; i++) {
      insert(aPendingTask(T0.plusSeconds(i)));
    }
    var first = store.list(sorted(TaskSort.CREATED_AT, SortOrder.ASC).limit(10).build());
    var last = store.list(sorted(TaskSort.CREATED_AT, SortOrder.ASC).offset(20).limit(10).build());
    var beyond = store.list(TaskQuery.builder().offset(30).limit(10).build());
    assertThat(first.tasks()).hasSize(10);
    assertThat(first.totalCount()).isEqualTo(25);
    assertThat(first.tasks().get(0).createdAt()).isEqualTo(T0);
    assertThat(last.tasks()).hasSize(5);
    assertThat(last.tasks().get(4).createdAt()).isEqualTo(T0.plusSeconds(24));
    assertThat(beyond.tasks()).isEmpty();
    assertThat(beyond.totalCount()).isEqualTo(25);
  }

  @Test
  void listPagesAStatusFilterInCreationOrderAfterStatusChanges() {
    for (int i = 0; i < 12; i++) {
      insert(aPendingTask(T0.plusSeconds(i)).organizationId(i % 3 == 0 ? "org-b" : "org-a"));
    }
    Instant later = T0.plusSeconds(60);
    for (TaskRecord r : claim(later, 12)) {
      boolean even = r.createdAt().getEpochSecond() % 2 == T0.getEpochSecond() % 2;
      assertThat(
              even
                  ? store.complete(completion(r, TaskStatus.COMPLETED, later))
                  : store.release(new Release(r.id(), r.fence(), later, null, null, false, later)))
          .isTrue();
    }

    var completed =
        store.list(
            sorted(TaskSort.CREATED_AT, SortOrder.DESC)
                .statuses(Set.of(TaskStatus.COMPLETED))
                .limit(4)
                .build());
    assertThat(seconds(completed.tasks())).containsExactly(10L, 8L, 6L, 4L);
    assertThat(completed.totalCount()).isEqualTo(6);
    var both =
        store.list(
            sorted(TaskSort.CREATED_AT, SortOrder.ASC)
                .statuses(Set.of(TaskStatus.COMPLETED, TaskStatus.PENDING))
                .offset(3)
                .limit(4)
                .build());
    assertThat(seconds(both.tasks())).containsExactly(3L, 4L, 5L, 6L);
    assertThat(both.totalCount()).isEqualTo(12);
    var pendingOfB =
        store.list(
            TaskQuery.builder()
                .statuses(Set.of(TaskStatus.PENDING))
                .organizationId("org-b")
                .limit(1)
                .build());
    assertThat(seconds(pendingOfB.tasks())).containsExactly(9L);
    assertThat(pendingOfB.totalCount()).isEqualTo(2);
    var running = store.list(TaskQuery.builder().statuses(Set.of(TaskStatus.RUNNING)).build());
    assertThat(running.tasks()).isEmpty();
    assertThat(running.totalCount()).isZero();
  }

  /** Seconds after T0 each task was created. */
  private static List<Long> seconds(List<TaskRecord> tasks) {
    return tasks.stream().map(r -> r.createdAt().getEpochSecond() - T0.getEpochSecond()).toList();
  }

  @Test
  void checkpointsAreStoredInOrderAndAKeyIsReplaced() {
    TaskRecord task = claimOne(insert(aPendingTask(T0)));
    assertThat(store.checkpoint(write(task, "fetch#1", "1"))).isTrue();
    assertThat(store.checkpoint(write(task, "parse#1", "2"))).isTrue();
    assertThat(store.checkpoint(write(task, "fetch#1", "3"))).isTrue();
    assertThat(store.checkpoints(task.id()))
        .extracting(c -> c.stepKey() + "=" + canonical(c.output()))
        .as("a replaced step moves to the end")
        .containsExactly("parse#1=2", "fetch#1=3");
    assertThat(store.checkpoints(task.id()))
        .extracting(c -> c.seq())
        .isSorted()
        .doesNotHaveDuplicates();
    assertThat(store.checkpoints(UUID.randomUUID())).isEmpty();
  }

  @Test
  void progressIsStoredAndANullPreviewKeepsTheLastOne() {
    TaskRecord task = claimOne(insert(aPendingTask(T0)));
    assertThat(store.progress(progress(task, 40, "{\"p\":1}", T0.plusSeconds(1)))).isTrue();
    assertThat(store.progress(progress(task, 60, null, T0.plusSeconds(2)))).isTrue();
    TaskRecord stored = store.find(task.id()).orElseThrow();
    assertThat(stored.progressPercentage()).isEqualTo(60);
    assertThat(stored.currentStage()).isEqualTo("stage-60");
    assertThat(stored.stagesCompleted()).containsExactly("stage-0");
    assertThat(canonical(stored.outputPreview())).isEqualTo("{\"p\":1}");
    assertThat(stored.updatedAt()).isEqualTo(T0.plusSeconds(2));
  }

  @Test
  void completeEndsTheTaskAndClearsTheLease() {
    TaskRecord task = claimOne(insert(aPendingTask(T0)));
    store.progress(progress(task, 50, "{\"partial\":true}", T0.plusSeconds(1)));
    Completion done =
        new Completion(
            task.id(),
            task.fence(),
            TaskStatus.INCOMPLETE,
            "{\"r\":1}",
            "half done",
            null,
            null,
            T0.plusSeconds(5));
    assertThat(store.complete(done)).isTrue();
    TaskRecord stored = store.find(task.id()).orElseThrow();
    assertThat(stored.status()).isEqualTo(TaskStatus.INCOMPLETE);
    assertThat(canonical(stored.result())).isEqualTo("{\"r\":1}");
    assertThat(stored.report()).isEqualTo("half done");
    assertThat(canonical(stored.outputPreview())).isEqualTo("{\"partial\":true}");
    assertThat(stored.completedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(stored.leaseOwner()).isNull();
    assertThat(stored.leaseExpiresAt()).isNull();
    assertThat(store.complete(done)).as("a second end of the same run").isFalse();
  }

  @Test
  void failedRunIsReleasedForRetryKeepingTheAttemptAndError() {
    TaskRecord task = claimOne(insert(aPendingTask(T0)));
    Instant later = T0.plusSeconds(60);
    assertThat(
            store.release(
                new Release(task.id(), task.fence(), later, "AGENT_ERROR", "boom", true, T0)))
        .isTrue();
    TaskRecord stored = store.find(task.id()).orElseThrow();
    assertThat(stored.status()).isEqualTo(TaskStatus.PENDING);
    assertThat(stored.attempt()).isEqualTo(1);
    assertThat(stored.errorCode()).isEqualTo("AGENT_ERROR");
    assertThat(stored.errorMessage()).isEqualTo("boom");
    assertThat(stored.leaseOwner()).isNull();
    assertThat(claim(later.minusMillis(1), 10)).as("not due before its retry time").isEmpty();
    TaskRecord again = claimOne(later);
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(again.fence()).isGreaterThan(task.fence());
  }

  @Test
  void givenBackTaskDoesNotCountTheAttempt() {
    TaskRecord task = claimOne(insert(aPendingTask(T0)));
    assertThat(store.release(new Release(task.id(), task.fence(), T0, null, null, false, T0)))
        .isTrue();
    TaskRecord stored = store.find(task.id()).orElseThrow();
    assertThat(stored.status()).isEqualTo(TaskStatus.PENDING);
    assertThat(stored.attempt()).isZero();
    List<TaskEvent> events = store.eventsAfter(0, 100);
    assertThat(events.get(events.size() - 1).type()).isEqualTo(TaskEventType.TASK_RETRYING);
    assertThat(events.get(events.size() - 1).status()).isEqualTo(TaskStatus.PENDING);
    assertThat(claimOne(T0).attempt()).isEqualTo(1);
  }

  @Test
  void releaseOfATaskWithACancelRequestedCancelsIt() {
    TaskRecord task = claimOne(insert(aPendingTask(T0)));
    store.cancel(new CancelCommand(task.id(), "stop", false, T0));
    Release retry = new Release(task.id(), task.fence(), T0.plusSeconds(5), "E", "boom", true, T0);
    assertThat(store.release(retry)).isTrue();
    TaskRecord stored = store.find(task.id()).orElseThrow();
    assertThat(stored.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(stored.cancelReason()).isEqualTo("stop");
    assertThat(stored.fence())
        .as("only claims and recovery move the fence")
        .isEqualTo(task.fence());
    assertThat(store.eventsAfter(0, 100))
        .extracting(TaskEvent::type)
        .endsWith(TaskEventType.TASK_CANCELLED);
    assertThat(claim(T0.plusSeconds(10), 10)).isEmpty();
  }

  @Test
  void cancelOfPendingTaskIsImmediate() {
    TaskRecord task = insert(aPendingTask(T0));
    TaskRecord after =
        store
            .cancel(new CancelCommand(task.id(), "not needed", false, T0.plusSeconds(1)))
            .orElseThrow();
    assertThat(after.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(after.cancelReason()).isEqualTo("not needed");
    assertThat(after.completedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(claim(T0.plusSeconds(5), 10)).isEmpty();
  }

  @Test
  void gracefulCancelOfRunningTaskSetsTheFlagAndForceEndsIt() {
    TaskRecord task = claimOne(insert(aPendingTask(T0)));
    TaskRecord flagged =
        store.cancel(new CancelCommand(task.id(), "stop", false, T0)).orElseThrow();
    assertThat(flagged.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(flagged.cancelRequested()).isTrue();
    RenewResult renewed = store.renew(new RenewRequest(List.of(lease(task)), T0.plusSeconds(60)));
    assertThat(renewed.cancelRequested()).containsExactly(lease(task));

    TaskRecord forced =
        store.cancel(new CancelCommand(task.id(), "now", true, T0.plusSeconds(1))).orElseThrow();
    assertThat(forced.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(store.checkpoint(write(task, "late#1", "1"))).isFalse();
  }

  @Test
  void cancelOfFinalOrUnknownTaskChangesNothing() {
    TaskRecord task = claimOne(insert(aPendingTask(T0)));
    store.complete(completion(task, TaskStatus.COMPLETED, T0));
    assertThat(store.cancel(new CancelCommand(task.id(), null, true, T0)).orElseThrow().status())
        .isEqualTo(TaskStatus.COMPLETED);
    assertThat(store.cancel(new CancelCommand(UUID.randomUUID(), null, true, T0))).isEmpty();
  }

  @Test
  void eventsRecordEachChangeInOrder() {
    long before = store.lastEventSeq();
    TaskRecord task = claimOne(insert(aPendingTask(T0)));
    store.progress(progress(task, 10, null, T0));
    store.release(new Release(task.id(), task.fence(), T0, "E", "e", true, T0));
    TaskRecord again = claimOne(T0);
    store.complete(completion(again, TaskStatus.COMPLETED, T0));

    List<TaskEvent> events = store.eventsAfter(before, 100);
    assertThat(events)
        .extracting(TaskEvent::type)
        .containsExactly(
            TaskEventType.TASK_SUBMITTED,
            TaskEventType.TASK_STARTED,
            TaskEventType.TASK_PROGRESS,
            TaskEventType.TASK_RETRYING,
            TaskEventType.TASK_STARTED,
            TaskEventType.TASK_COMPLETED);
    assertThat(events).allSatisfy(e -> assertThat(e.taskId()).isEqualTo(task.id()));
    assertThat(events)
        .extracting(TaskEvent::status)
        .containsExactly(
            TaskStatus.PENDING,
            TaskStatus.RUNNING,
            TaskStatus.RUNNING,
            TaskStatus.PENDING,
            TaskStatus.RUNNING,
            TaskStatus.COMPLETED);
    assertThat(events).extracting(TaskEvent::attempt).containsExactly(0, 1, 1, 1, 2, 2);
    assertThat(events.get(2).percentage()).isEqualTo(10);
    assertThat(events.get(2).stage()).isEqualTo("stage-10");
    assertThat(events).extracting(TaskEvent::seq).isSorted().doesNotHaveDuplicates();
    assertThat(store.lastEventSeq()).isEqualTo(events.get(5).seq());
    assertThat(store.eventsAfter(events.get(1).seq(), 2))
        .extracting(TaskEvent::seq)
        .containsExactly(events.get(2).seq(), events.get(3).seq());
  }

  /** JSON text in one spelling, since a store may keep JSON in any equivalent form. */
  protected static String canonical(String json) {
    try {
      return json == null ? null : JSON.readTree(json).toString();
    } catch (JsonProcessingException e) {
      throw new AssertionError("store returned JSON that does not parse: " + json, e);
    }
  }

  /** The record with its JSON fields in one spelling. */
  protected static TaskRecord canonical(TaskRecord r) {
    return r.toBuilder()
        .input(canonical(r.input()))
        .metadata(canonical(r.metadata()))
        .outputPreview(canonical(r.outputPreview()))
        .result(canonical(r.result()))
        .build();
  }

  /** Ids of the tasks a query returns, in order. */
  protected List<UUID> ids(TaskQuery.Builder query) {
    return store.list(query.build()).tasks().stream().map(TaskRecord::id).toList();
  }

  /** Claims exactly the given task, which must be the only due one. */
  protected TaskRecord claimOne(TaskRecord task) {
    TaskRecord claimed = claimOne(task.createdAt());
    assertThat(claimed.id()).isEqualTo(task.id());
    return claimed;
  }

  /** Claims exactly one task at {@code now}. */
  protected TaskRecord claimOne(Instant now) {
    List<TaskRecord> claimed = claim(now, 10);
    assertThat(claimed).hasSize(1);
    return claimed.get(0);
  }

  protected static LeaseRef lease(TaskRecord task) {
    return new LeaseRef(task.id(), task.fence());
  }

  protected static CheckpointWrite write(TaskRecord task, String key, String output) {
    return new CheckpointWrite(task.id(), task.fence(), key, output, T0);
  }

  protected static ProgressUpdate progress(TaskRecord task, int pct, String preview, Instant at) {
    List<String> done = pct == 0 ? List.of() : List.of("stage-0");
    return new ProgressUpdate(task.id(), task.fence(), pct, "stage-" + pct, done, preview, at);
  }

  protected static Completion completion(TaskRecord task, TaskStatus status, Instant at) {
    return new Completion(task.id(), task.fence(), status, "{}", null, null, null, at);
  }

  /** A lease duration used by the lease tests. */
  protected static final Duration LEASE = Duration.ofSeconds(30);

  /** Recovers expired leases at {@code now}. */
  protected int reclaim(Instant now) {
    return store.reclaimExpired(new ReclaimRequest(now, 100, 10));
  }
}
