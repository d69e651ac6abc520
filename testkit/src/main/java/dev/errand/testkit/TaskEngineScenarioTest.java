package dev.errand.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.errand.LeaseLostException;
import dev.errand.RetryPolicy;
import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskError;
import dev.errand.TaskRequest;
import dev.errand.TaskStatus;
import dev.errand.agent.Agent;
import dev.errand.agent.AgentFailure;
import dev.errand.agent.AgentResult;
import dev.errand.spi.Checkpoint;
import dev.errand.spi.Completion;
import dev.errand.spi.ReclaimRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Engine scenarios of leases, retries, cancels and timeouts, with time moved by the test. A store's
 * test extends this class and returns a fresh store from {@link #newStore()}.
 */
public abstract class TaskEngineScenarioTest extends EngineScenarioSupport {

  @Test
  void taskOfADeadWorkerIsResumedByAnotherAfterItsLastCompletedStep() throws Exception {
    CountDownLatch inStepB = new CountDownLatch(1);
    CountDownLatch releaseA = new CountDownLatch(1);
    AtomicReference<Throwable> seenByA = new AtomicReference<>();
    Agent agent =
        ctx -> {
          try {
            ctx.step("a", String.class, () -> "a" + ran("a"));
            ctx.step(
                "b",
                String.class,
                () -> {
                  ran("b");
                  if (ctx.fence() == 1) { // the first run, on A
                    inStepB.countDown();
                    releaseA.await();
                  }
                  return "b-by-fence-" + ctx.fence();
                });
            ctx.step("c", String.class, () -> "c" + ran("c"));
            return AgentResult.completed(Map.of("attempt", ctx.attempt(), "fence", ctx.fence()));
          } catch (Throwable t) {
            seenByA.compareAndSet(null, t);
            throw t;
          }
        };
    ManualTimer timerA = new ManualTimer(clock);
    ManualTimer timerB = new ManualTimer(clock);
    TaskEngine a = engine(timerA, agent);
    TaskEngine b = engine(timerB, agent);
    Task task = startInStep(timerA, a, TaskRequest.builder(TYPE).build(), inStepB);
    long fenceA = store.find(task.id()).orElseThrow().fence();

    b.start();
    timerB.advance(LEASE.plusSeconds(10)); // A never heartbeats: its lease expires, B recovers it
    Task done = awaitStatus(timerB, task.id(), TaskStatus.COMPLETED);

    assertThat(done.attempt()).as("A's lost lease spent no attempt").isEqualTo(1);
    assertThat(done.leaseLosses()).isEqualTo(1);
    assertThat(done.result().get("attempt").asInt()).isEqualTo(1);
    assertThat(done.result().get("fence").asLong()).isGreaterThan(fenceA);
    assertThat(runs("a")).as("step a completed before the crash and is not run again").isEqualTo(1);
    assertThat(runs("b")).isEqualTo(2);
    assertThat(runs("c")).isEqualTo(1);

    releaseA.countDown();
    await().atMost(WAIT).until(() -> seenByA.get() != null);
    assertThat(seenByA.get()).isInstanceOf(LeaseLostException.class);
    assertThat(store.checkpoints(task.id()))
        .extracting(Checkpoint::stepKey, Checkpoint::output)
        .contains(tuple("b#1", "\"b-by-fence-" + done.result().get("fence").asLong() + "\""));
    Completion late =
        new Completion(task.id(), fenceA, TaskStatus.FAILED, null, null, "X", "x", clock.instant());
    assertThat(store.complete(late)).as("the dead worker's completion is refused").isFalse();
    assertThat(a.get(task.id()).status()).isEqualTo(TaskStatus.COMPLETED);
  }

  @Test
  void workerThatLostItsLeaseStopsTheRunAtItsNextHeartbeat() throws Exception {
    CountDownLatch inStepB = new CountDownLatch(1);
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine = engine(timer, threeSteps(inStepB, new CountDownLatch(1)));
    Task task = startInStep(timer, engine, TaskRequest.builder(TYPE).build(), inStepB);
    long fence = store.find(task.id()).orElseThrow().fence();

    clock.advance(LEASE.plusSeconds(1)); // the heartbeat is late: another node recovers the task
    assertThat(store.reclaimExpired(new ReclaimRequest(clock.instant(), 10, 10))).isEqualTo(1);
    timer.runDue(); // the late heartbeat finds the lease gone

    await().atMost(WAIT).until(() -> runs("b-interrupted") == 1);
    assertThat(store.find(task.id()).orElseThrow().fence()).isGreaterThan(fence);
    assertThat(store.checkpoints(task.id())).extracting(Checkpoint::stepKey).containsExactly("a#1");
  }

  @Test
  void stepsReturnTheSameTypesOnAFirstAndAResumedRunAndMayReturnNull() {
    ManualTimer timer = new ManualTimer(clock);
    List<Object> seen = new CopyOnWriteArrayList<>();
    TaskEngine engine =
        engine(
            timer,
            ctx -> {
              Object nothing = ctx.step("send", Void.class, () -> null);
              List<Map<String, Integer>> items =
                  ctx.step(
                      "items",
                      new TypeReference<List<Map<String, Integer>>>() {},
                      () -> List.of(Map.of("n", 1)));
              seen.add(nothing == null ? "null" : nothing);
              seen.add(items.get(0).get("n"));
              if (ctx.attempt() == 1) {
                throw new IllegalStateException("fail once, after both steps");
              }
              return AgentResult.completed(items);
            },
            b -> b.retryPolicy(RetryPolicy.builder().initialDelay(Duration.ZERO).build()));
    Task task = engine.submit(TaskRequest.builder(TYPE).build());
    engine.start();
    Task done = awaitStatus(timer, task.id(), TaskStatus.COMPLETED);
    assertThat(done.attempt()).isEqualTo(2);
    assertThat(seen).containsExactly("null", 1, "null", 1);
    assertThat(done.result().get(0).get("n").asInt()).isEqualTo(1);
  }

  @Test
  void agentReportingPartialWorkEndsIncompleteWithItsReport() {
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine =
        engine(
            timer,
            ctx -> {
              ctx.step("first_half", Integer.class, () -> 71);
              return AgentResult.incomplete(
                  Map.of("tickets_reviewed", 71),
                  "Reviewed 71 of 142 tickets; the API quota ran out.");
            });
    Task task = engine.submit(TaskRequest.builder(TYPE).build());
    engine.start();
    Task done = awaitStatus(timer, task.id(), TaskStatus.INCOMPLETE);
    assertThat(done.result().get("tickets_reviewed").asInt()).isEqualTo(71);
    assertThat(done.report()).isEqualTo("Reviewed 71 of 142 tickets; the API quota ran out.");
    assertThat(done.completedAt()).isEqualTo(clock.instant());
    assertThat(done.error()).isNull();
  }

  @Test
  void throwingTaskIsRetriedWithGrowingDelaysThenFailsWithTheLastError() {
    ManualTimer timer = new ManualTimer(clock);
    RetryPolicy retry =
        RetryPolicy.builder()
            .maxAttempts(3)
            .initialDelay(Duration.ofSeconds(10))
            .multiplier(2)
            .jitter(RetryPolicy.Jitter.NONE)
            .build();
    TaskEngine engine =
        engine(
            timer,
            ctx -> {
              throw new IllegalStateException("boom " + ctx.attempt());
            },
            b -> b.retryPolicy(retry));
    Task task = engine.submit(TaskRequest.builder(TYPE).build());
    engine.start();

    Task first = awaitRetry(timer, task, 1);
    assertThat(Duration.between(first.updatedAt(), first.runAfter()))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(first.error().message()).contains("boom 1");
    timer.advance(Duration.ofSeconds(10));
    Task second = awaitRetry(timer, task, 2);
    assertThat(Duration.between(second.updatedAt(), second.runAfter()))
        .isEqualTo(Duration.ofSeconds(20));
    timer.advance(Duration.ofSeconds(20));

    Task failed = awaitStatus(timer, task.id(), TaskStatus.FAILED);
    assertThat(failed.attempt()).isEqualTo(3);
    assertThat(failed.error().code()).isEqualTo(TaskError.AGENT_ERROR);
    assertThat(failed.error().message()).isEqualTo("java.lang.IllegalStateException: boom 3");
  }

  private Task awaitRetry(ManualTimer timer, Task task, int attempt) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              timer.runDue();
              var r = store.find(task.id()).orElseThrow();
              return r.status() == TaskStatus.PENDING && r.attempt() == attempt;
            });
    return firstEngine().get(task.id());
  }

  @Test
  void nonRetryableFailureFailsAtOnce() {
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine =
        engine(
            timer,
            ctx -> {
              throw AgentFailure.nonRetryable("BAD_INPUT", "query must not be empty");
            });
    Task task = engine.submit(TaskRequest.builder(TYPE).maxAttempts(5).build());
    engine.start();
    Task failed = awaitStatus(timer, task.id(), TaskStatus.FAILED);
    assertThat(failed.attempt()).isEqualTo(1);
    assertThat(failed.error()).isEqualTo(new TaskError("BAD_INPUT", "query must not be empty"));
  }

  @Test
  void gracefulCancelEndsTheTaskAtItsNextStepKeepingPartialOutput() throws Exception {
    CountDownLatch inStepB = new CountDownLatch(1);
    CountDownLatch finishB = new CountDownLatch(1);
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine = engine(timer, threeSteps(inStepB, finishB));
    Task task = startInStep(timer, engine, TaskRequest.builder(TYPE).build(), inStepB);

    Task requested = engine.cancel(task.id(), "no longer needed", false);
    assertThat(requested.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(requested.cancelRequested()).isTrue();
    finishB.countDown();

    Task cancelled = awaitStatus(timer, task.id(), TaskStatus.CANCELLED);
    assertThat(runs("b")).isEqualTo(1);
    assertThat(runs("c")).as("the step after the cancel does not run").isZero();
    assertThat(cancelled.outputPreview().get("found").asInt()).isEqualTo(1);
    assertThat(cancelled.cancelReason()).isEqualTo("no longer needed");
    assertThat(store.checkpoints(task.id()))
        .extracting(Checkpoint::stepKey)
        .containsExactly("a#1", "b#1");
  }

  @Test
  void forceCancelEndsARunningTaskAtOnce() throws Exception {
    CountDownLatch inStepB = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine = engine(timer, threeSteps(inStepB, never));
    Task task = startInStep(timer, engine, TaskRequest.builder(TYPE).build(), inStepB);

    Task cancelled = engine.cancel(task.id(), "stop now", true);
    assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(cancelled.outputPreview().get("found").asInt()).isEqualTo(1);
    await().atMost(WAIT).until(() -> runs("b-interrupted") == 1);
    assertThat(runs("c")).isZero();
    assertThat(store.checkpoints(task.id())).extracting(Checkpoint::stepKey).containsExactly("a#1");
  }

  @Test
  void cancelOfAPendingTaskIsImmediate() {
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine = engine(timer, ctx -> AgentResult.completed(null));
    Task task = engine.submit(TaskRequest.builder(TYPE).delay(Duration.ofHours(1)).build());
    Task cancelled = engine.cancel(task.id(), null, false);
    assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(cancelled.completedAt()).isEqualTo(clock.instant());
  }

  @Test
  void taskPastItsTimeoutFailsWithTaskTimeout() throws Exception {
    CountDownLatch inStepB = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine = engine(timer, threeSteps(inStepB, never));
    Task task =
        startInStep(
            timer,
            engine,
            TaskRequest.builder(TYPE).timeout(Duration.ofMinutes(5)).build(),
            inStepB);

    timer.advance(Duration.ofMinutes(4));
    assertThat(store.find(task.id()).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);
    timer.advance(Duration.ofMinutes(1));
    Task failed = engine.get(task.id());
    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(failed.error().code()).isEqualTo(TaskError.TASK_TIMEOUT);
    assertThat(failed.error().message()).contains("PT5M");
    await().atMost(WAIT).until(() -> runs("b-interrupted") == 1);
  }

  /**
   * Steps a, b (which signals {@code inB} and waits for {@code finishB}, counting an interrupt as
   * "b-interrupted") and c, with a preview after a.
   */
  protected Agent threeSteps(CountDownLatch inB, CountDownLatch finishB) {
    return ctx -> {
      ctx.step("a", Integer.class, () -> ran("a"));
      ctx.preview(Map.of("found", 1));
      ctx.step(
          "b",
          Integer.class,
          () -> {
            inB.countDown();
            try {
              finishB.await();
            } catch (InterruptedException e) {
              ran("b-interrupted");
              throw e;
            }
            return ran("b");
          });
      ctx.step("c", Integer.class, () -> ran("c"));
      return AgentResult.completed(Map.of("steps", 3));
    };
  }
}
