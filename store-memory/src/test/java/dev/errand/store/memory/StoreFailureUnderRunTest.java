package dev.errand.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.errand.RetryPolicy;
import dev.errand.StoreException;
import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.TaskStatus;
import dev.errand.agent.Agent;
import dev.errand.agent.AgentFailure;
import dev.errand.agent.AgentResult;
import dev.errand.spi.CheckpointWrite;
import dev.errand.spi.TaskStore;
import dev.errand.testkit.EngineScenarioSupport;
import dev.errand.testkit.ForwardingTaskStore;
import dev.errand.testkit.ManualTimer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Regression: after any store error under a run, even one the agent recovered from, the run's later
 * outcomes were not written, so the task waited out its lease and could end FAILED for it.
 */
class StoreFailureUnderRunTest extends EngineScenarioSupport {
  private final AtomicInteger checkpointFailures = new AtomicInteger();

  @Override
  protected TaskStore newStore() {
    return new ForwardingTaskStore(new InMemoryTaskStore()) {
      @Override
      public boolean checkpoint(CheckpointWrite write) {
        if (checkpointFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          throw new StoreException("the database is briefly unreachable", "08006", null);
        }
        return super.checkpoint(write);
      }
    };
  }

  /** An agent that catches the store's failure of its first step and goes on. */
  private static String recoveringStep(dev.errand.agent.AgentContext ctx) throws Exception {
    try {
      return ctx.step("flaky", String.class, () -> "stored");
    } catch (StoreException e) {
      return "not stored";
    }
  }

  @Test
  void aNonRetryableFailureAfterARecoveredStoreErrorIsWrittenAtOnce() {
    checkpointFailures.set(1);
    Agent agent =
        ctx -> {
          String step = recoveringStep(ctx);
          throw AgentFailure.nonRetryable("BAD_INPUT", "the input names no source (" + step + ")");
        };
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine = engine(timer, agent);
    Task task = engine.submit(TaskRequest.builder(TYPE).build());
    engine.start();

    Task failed = awaitStatus(timer, task.id(), TaskStatus.FAILED); // the clock does not move
    assertThat(failed.error().code()).isEqualTo("BAD_INPUT");
    assertThat(failed.error().message()).contains("not stored");
    assertThat(failed.leaseLosses()).isZero();
  }

  @Test
  void aGracefulCancelAfterARecoveredStoreErrorIsWrittenAtOnce() throws Exception {
    checkpointFailures.set(1);
    CountDownLatch inSecondStep = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    Agent agent =
        ctx -> {
          recoveringStep(ctx);
          ctx.step(
              "wait",
              String.class,
              () -> {
                inSecondStep.countDown();
                cancelled.await();
                return "waited";
              });
          ctx.step("after", String.class, () -> "never");
          return AgentResult.completed(Map.of());
        };
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine = engine(timer, agent);
    Task task = engine.submit(TaskRequest.builder(TYPE).build());
    engine.start();
    timer.runDue();
    await().atMost(WAIT).until(() -> inSecondStep.getCount() == 0);
    engine.cancel(task.id(), "no longer needed", false);
    cancelled.countDown();

    assertThat(awaitStatus(timer, task.id(), TaskStatus.CANCELLED).cancelReason())
        .isEqualTo("no longer needed");
  }

  @Test
  void aStoreErrorThatEscapesTheAgentIsRetriedAsAnAttempt() {
    checkpointFailures.set(1);
    Agent agent =
        ctx -> {
          ctx.step("flaky", String.class, () -> "stored");
          return AgentResult.completed(Map.of("attempt", ctx.attempt()));
        };
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine =
        engine(
            timer,
            agent,
            b -> b.retryPolicy(RetryPolicy.builder().initialDelay(Duration.ZERO).build()));
    Task task = engine.submit(TaskRequest.builder(TYPE).build());
    engine.start();

    Task done = awaitStatus(timer, task.id(), TaskStatus.COMPLETED);
    assertThat(done.attempt()).as("the failed run counts as an attempt").isEqualTo(2);
    assertThat(done.leaseLosses()).isZero();
  }
}
