package dev.errand.testkit;

import static dev.errand.testkit.TaskRecords.TYPE;
import static dev.errand.testkit.TaskRecords.aPendingTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.errand.TaskError;
import dev.errand.TaskEvent;
import dev.errand.TaskEventType;
import dev.errand.TaskStatus;
import dev.errand.spi.CancelCommand;
import dev.errand.spi.ClaimRequest;
import dev.errand.spi.Completion;
import dev.errand.spi.InsertResult;
import dev.errand.spi.LeaseRef;
import dev.errand.spi.ReclaimRequest;
import dev.errand.spi.Release;
import dev.errand.spi.RenewRequest;
import dev.errand.spi.RenewResult;
import dev.errand.spi.TaskRecord;
import dev.errand.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link TaskStore} must have. A store's test extends this class and returns a
 * fresh, empty store from {@link #newStore()}. This half covers claiming, leases, recovery of
 * expired leases and fencing; {@link TaskStoreBasicContractTest} covers the rest.
 */
public abstract class TaskStoreContractTest extends TaskStoreScheduleContractTest {

  @Test
  void claimTakesHighestPriorityThenEarliestDueThenId() {
    TaskRecord low = insert(aPendingTask(T0).priority(2));
    TaskRecord highLate = insert(aPendingTask(T0).priority(8).runAfter(T0.plusSeconds(2)));
    TaskRecord highEarly = insert(aPendingTask(T0).priority(8).runAfter(T0.plusSeconds(1)));
    TaskRecord notDue = insert(aPendingTask(T0).priority(10).runAfter(T0.plusSeconds(60)));
    insert(aPendingTask(T0, "unknown_type").priority(10));

    List<TaskRecord> claimed = claim(T0.plusSeconds(5), 10);
    assertThat(claimed)
        .extracting(TaskRecord::id)
        .containsExactly(highEarly.id(), highLate.id(), low.id());
    assertThat(store.find(notDue.id()).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
  }

  @Test
  void claimSetsTheLeaseAndCountsTheAttempt() {
    TaskRecord task = insert(aPendingTask(T0));
    TaskRecord claimed = claimOne(T0.plusSeconds(1));
    assertThat(claimed.id()).isEqualTo(task.id());
    assertThat(claimed.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(claimed.leaseOwner()).isEqualTo("w1");
    assertThat(claimed.leaseExpiresAt()).isEqualTo(T0.plusSeconds(31));
    assertThat(claimed.fence()).isEqualTo(task.fence() + 1);
    assertThat(claimed.attempt()).isEqualTo(1);
    assertThat(claimed.startedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(store.find(task.id())).contains(claimed);
    assertThat(claim(T0.plusSeconds(2), 10)).as("a held task is not claimed again").isEmpty();
  }

  @Test
  void claimHonoursTheLimit() {
    for (int i = 0; i < 5; i++) {
      insert(aPendingTask(T0));
    }
    assertThat(claim(T0, 3)).hasSize(3);
    assertThat(claim(T0, 3)).hasSize(2);
  }

  @Test
  void concurrentClaimsNeverReturnTheSameTask() throws Exception {
    int tasks = 400;
    for (int i = 0; i < tasks; i++) {
      insert(aPendingTask(T0));
    }
    List<UUID> claimed = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Void>> claimers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        String worker = "w" + w;
        claimers.add(
            () -> {
              List<TaskRecord> batch;
              do {
                batch = store.claim(new ClaimRequest(worker, T0, T0.plus(LEASE), 7, Set.of(TYPE)));
                batch.forEach(r -> claimed.add(r.id()));
              } while (!batch.isEmpty());
              return null;
            });
      }
      for (Future<Void> f : pool.invokeAll(claimers)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(claimed).hasSize(tasks).doesNotHaveDuplicates();
  }

  @Test
  void concurrentInsertsWithOneIdempotencyKeyStoreOneTask() throws Exception {
    List<Callable<InsertResult>> inserts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      inserts.add(() -> store.insert(aPendingTask(T0).idempotencyKey("same").build()));
    }
    List<InsertResult> results = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (Future<InsertResult> f : pool.invokeAll(inserts)) {
        results.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(results).filteredOn(InsertResult::created).hasSize(1);
    assertThat(results).extracting(r -> r.task().id()).containsOnly(results.get(0).task().id());
  }

  @Test
  void eventsReadWhileWritersRunAreNeitherSkippedNorRepeated() throws Exception {
    int writers = 4;
    int perWriter = 100;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<TaskEvent> seen = new ArrayList<>();
    long[] last = {store.lastEventSeq()};
    try {
      List<Future<?>> writing = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        writing.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perWriter; i++) {
                    insert(aPendingTask(T0));
                  }
                }));
      }
      await() // read as the writers write, until every event has been seen
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(1))
          .until(
              () -> {
                List<TaskEvent> batch = store.eventsAfter(last[0], 50);
                seen.addAll(batch);
                last[0] = batch.isEmpty() ? last[0] : batch.get(batch.size() - 1).seq();
                return writing.stream().allMatch(Future::isDone)
                    && seen.size() >= writers * perWriter;
              });
      for (Future<?> f : writing) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(seen).extracting(TaskEvent::seq).isSorted().doesNotHaveDuplicates();
    assertThat(seen)
        .extracting(TaskEvent::taskId)
        .doesNotHaveDuplicates()
        .hasSize(writers * perWriter);
  }

  @Test
  void renewExtendsHeldLeasesAndReportsLostOnes() {
    TaskRecord a = insert(aPendingTask(T0));
    TaskRecord b = insert(aPendingTask(T0));
    List<TaskRecord> claimed = claim(T0, 10);
    TaskRecord heldA = claimed.get(0).id().equals(a.id()) ? claimed.get(0) : claimed.get(1);
    TaskRecord heldB = heldA == claimed.get(0) ? claimed.get(1) : claimed.get(0);
    RenewResult result =
        store.renew(
            new RenewRequest(
                List.of(lease(heldA), new LeaseRef(heldB.id(), heldB.fence() - 1)),
                T0.plusSeconds(90)));
    assertThat(result.lost())
        .as("reported by lease, as asked")
        .containsExactly(new LeaseRef(heldB.id(), heldB.fence() - 1));
    assertThat(result.cancelRequested()).isEmpty();
    assertThat(store.find(a.id()).orElseThrow().leaseExpiresAt()).isEqualTo(T0.plusSeconds(90));
    assertThat(store.find(b.id()).orElseThrow().leaseExpiresAt()).isEqualTo(T0.plus(LEASE));
  }

  @Test
  void reclaimReturnsExpiredTasksToPendingUnderANewFence() {
    TaskRecord task = claimOne(insert(aPendingTask(T0)));
    assertThat(reclaim(T0.plusSeconds(30))).as("not yet expired").isZero();
    assertThat(reclaim(T0.plusSeconds(31))).isEqualTo(1);
    TaskRecord stored = store.find(task.id()).orElseThrow();
    assertThat(stored.status()).isEqualTo(TaskStatus.PENDING);
    assertThat(stored.fence()).isGreaterThan(task.fence());
    assertThat(stored.leaseOwner()).isNull();
    assertThat(stored.leaseLosses()).isEqualTo(1);
    assertThat(stored.attempt()).as("a lost lease spends no attempt").isZero();
    assertThat(stored.runAfter()).as("still due as before: ahead of later work").isEqualTo(T0);
    insert(aPendingTask(T0.plusSeconds(20)));
    List<TaskRecord> claimed = claim(T0.plusSeconds(31), 1);
    assertThat(claimed).extracting(TaskRecord::id).containsExactly(task.id());
    TaskRecord again = claimed.get(0);
    assertThat(again.attempt()).isEqualTo(1);
    assertThat(again.leaseLosses()).isEqualTo(1);
  }

  @Test
  void reclaimOnTheLastAttemptSpendsNoAttemptAndCancelsACancelledOne() {
    TaskRecord last = claimOne(insert(aPendingTask(T0).maxAttempts(1)));
    TaskRecord cancelled = claimOne(insert(aPendingTask(T0.plusSeconds(1))));
    store.cancel(new CancelCommand(cancelled.id(), "stop", false, T0));
    assertThat(reclaim(T0.plusSeconds(60))).isEqualTo(2);
    TaskRecord pending = store.find(last.id()).orElseThrow();
    assertThat(pending.status()).isEqualTo(TaskStatus.PENDING);
    assertThat(pending.attempt()).isZero();
    assertThat(store.find(cancelled.id()).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
  }

  @Test
  void reclaimFailsATaskWhoseLeaseLossesReachTheLimit() {
    TaskRecord task = insert(aPendingTask(T0).maxAttempts(1));
    Instant now = T0;
    for (int loss = 1; loss <= 2; loss++) {
      TaskRecord held = claimOne(now);
      assertThat(held.id()).isEqualTo(task.id());
      now = now.plus(LEASE).plusSeconds(1);
      assertThat(store.reclaimExpired(new ReclaimRequest(now, 10, 3))).isEqualTo(1);
    }
    assertThat(store.find(task.id()).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
    claimOne(now);
    now = now.plus(LEASE).plusSeconds(1);
    assertThat(store.reclaimExpired(new ReclaimRequest(now, 10, 3))).isEqualTo(1);
    TaskRecord failed = store.find(task.id()).orElseThrow();
    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(failed.leaseLosses()).isEqualTo(3);
    assertThat(failed.attempt()).as("the agent never failed").isZero();
    assertThat(failed.errorCode()).isEqualTo(TaskError.LEASE_LOSSES_EXCEEDED);
    assertThat(failed.errorMessage()).contains("lost 3 times", "most allowed is 3", "w1");
    assertThat(store.eventsAfter(0, 100))
        .filteredOn(e -> e.taskId().equals(task.id()))
        .extracting(TaskEvent::type)
        .endsWith(TaskEventType.TASK_FAILED);
  }

  @Test
  void fencingRaceTheOldHolderIsRefusedAndTheNewOneSucceeds() {
    TaskRecord byA = claimOne(insert(aPendingTask(T0)));
    assertThat(reclaim(T0.plus(LEASE).plusSeconds(1))).isEqualTo(1);
    TaskRecord byB =
        store
            .claim(new ClaimRequest("w2", T0.plusSeconds(31), T0.plusSeconds(61), 1, Set.of(TYPE)))
            .get(0);
    assertThat(byB.fence()).isGreaterThan(byA.fence());

    assertThat(store.renew(new RenewRequest(List.of(lease(byA)), T0.plusSeconds(90))).lost())
        .containsExactly(lease(byA));
    assertThat(store.checkpoint(write(byA, "s#1", "\"a\""))).isFalse();
    assertThat(store.progress(progress(byA, 50, null, T0.plusSeconds(32)))).isFalse();
    assertThat(store.complete(completion(byA, TaskStatus.COMPLETED, T0.plusSeconds(32)))).isFalse();
    assertThat(store.release(new Release(byA.id(), byA.fence(), T0, null, null, true, T0)))
        .isFalse();
    assertThat(store.checkpoints(byA.id())).isEmpty();

    assertThat(store.renew(new RenewRequest(List.of(lease(byB)), T0.plusSeconds(90))).lost())
        .isEmpty();
    assertThat(store.checkpoint(write(byB, "s#1", "\"b\""))).isTrue();
    assertThat(store.progress(progress(byB, 50, null, T0.plusSeconds(33)))).isTrue();
    assertThat(store.complete(completion(byB, TaskStatus.COMPLETED, T0.plusSeconds(34)))).isTrue();
    TaskRecord done = store.find(byA.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.progressPercentage()).isEqualTo(50);
    assertThat(store.checkpoints(byA.id()))
        .extracting(c -> canonical(c.output()))
        .containsExactly("\"b\"");
  }

  @Test
  void completeAllEndsEachTaskUnderItsOwnFenceWithItsOwnEvent() {
    List<TaskRecord> claimed = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      insert(aPendingTask(T0));
    }
    claimed.addAll(claim(T0, 4));
    TaskRecord lost = claimed.get(1);
    assertThat(reclaimOne(lost)).isTrue();
    Completion failed =
        new Completion(
            claimed.get(2).id(),
            claimed.get(2).fence(),
            TaskStatus.FAILED,
            null,
            "gave up",
            "AGENT_ERROR",
            "boom",
            T0.plusSeconds(3));
    List<Completion> completions =
        List.of(
            completion(claimed.get(3), TaskStatus.COMPLETED, T0.plusSeconds(4)),
            completion(lost, TaskStatus.COMPLETED, T0.plusSeconds(2)),
            failed,
            new Completion(
                claimed.get(0).id(),
                claimed.get(0).fence(),
                TaskStatus.INCOMPLETE,
                "{\"part\":1}",
                "half",
                null,
                null,
                T0.plusSeconds(1)));

    assertThat(store.completeAll(completions)).containsExactly(true, false, true, true);

    assertThat(store.find(lost.id()).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
    TaskRecord first = store.find(claimed.get(0).id()).orElseThrow();
    assertThat(first.status()).isEqualTo(TaskStatus.INCOMPLETE);
    assertThat(canonical(first.result())).isEqualTo("{\"part\":1}");
    assertThat(first.report()).isEqualTo("half");
    assertThat(first.completedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(first.leaseOwner()).isNull();
    TaskRecord third = store.find(failed.taskId()).orElseThrow();
    assertThat(third.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(third.result()).isNull();
    assertThat(third.errorCode()).isEqualTo("AGENT_ERROR");
    assertThat(third.errorMessage()).isEqualTo("boom");
    assertThat(store.find(claimed.get(3).id()).orElseThrow().status())
        .isEqualTo(TaskStatus.COMPLETED);
    List<TaskEvent> ends =
        store.eventsAfter(0, 100).stream().filter(e -> e.status().isFinal()).toList();
    assertThat(ends)
        .extracting(TaskEvent::taskId, TaskEvent::type, TaskEvent::at)
        .containsExactlyInAnyOrder(
            tuple(claimed.get(0).id(), TaskEventType.TASK_INCOMPLETE, T0.plusSeconds(1)),
            tuple(failed.taskId(), TaskEventType.TASK_FAILED, T0.plusSeconds(3)),
            tuple(claimed.get(3).id(), TaskEventType.TASK_COMPLETED, T0.plusSeconds(4)));
    assertThat(store.completeAll(completions))
        .as("a second end of the same runs")
        .containsExactly(false, false, false, false);
    assertThat(store.completeAll(List.of())).isEmpty();
  }

  /** Recovers the task's lease as if it had expired, under a new fence; whether it was. */
  private boolean reclaimOne(TaskRecord running) {
    store.renew(new RenewRequest(List.of(lease(running)), T0.minusSeconds(1)));
    return reclaim(T0) == 1;
  }
}
