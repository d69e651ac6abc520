package dev.errand.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.errand.EngineTimer;
import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.TaskStatus;
import dev.errand.agent.Agent;
import dev.errand.agent.AgentResult;
import dev.errand.spi.Checkpoint;
import dev.errand.spi.TaskStore;
import dev.errand.testkit.EngineScenarioSupport;
import dev.errand.testkit.ManualTimer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A run checks its lease against the deadline its own process measured (claim or last renewal, on
 * the timer's monotonic reading) before it starts and before every step body: a process paused past
 * its lease starts nothing once it wakes up. The monotonic reading here is moved by the test, as a
 * pause of the whole process would move it, while the store's clock stays where it was.
 */
class LeaseDeadlineTest extends EngineScenarioSupport {
  private final AtomicLong nanos = new AtomicLong();
  private final BlockingQueue<Runnable> held = new LinkedBlockingQueue<>();
  private final List<Thread> runThreads = new CopyOnWriteArrayList<>();

  @Override
  protected TaskStore newStore() {
    return new InMemoryTaskStore();
  }

  /** The manual timer, with a monotonic reading of the test's own. */
  private EngineTimer pausable(ManualTimer timer) {
    return new EngineTimer() {
      @Override
      public Cancellable schedule(Duration delay, Runnable task) {
        return timer.schedule(delay, task);
      }

      @Override
      public long nanoTime() {
        return nanos.get();
      }
    };
  }

  private Agent twoSteps() {
    return ctx -> {
      ctx.step(
          "one",
          String.class,
          () -> {
            ran("one");
            if (ctx.fence() == 1) {
              nanos.addAndGet(LEASE.toNanos()); // paused here, past the lease
            }
            return "1";
          });
      ctx.step("two", String.class, () -> "2 after " + ran("two"));
      return AgentResult.completed(Map.of("fence", ctx.fence()));
    };
  }

  private TaskEngine engine(ManualTimer timer, boolean holdRuns) {
    return engine(
        timer,
        twoSteps(),
        b -> b.timer(pausable(timer)).executor(holdRuns ? held::add : this::startThread));
  }

  private void startThread(Runnable run) {
    Thread t = new Thread(run, "run-" + runThreads.size());
    runThreads.add(t);
    t.start();
  }

  @Test
  void aRunWhoseLeasePassedBetweenClaimAndStartRunsNothing() throws Exception {
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine = engine(timer, true);
    Task task = engine.submit(TaskRequest.builder(TYPE).build());
    engine.start();
    timer.runDue(); // claimed; the run waits for a thread
    Runnable run = held.take();

    nanos.addAndGet(LEASE.toNanos()); // the process is paused before the run starts
    run.run();

    assertThat(runs("one")).isZero();
    assertThat(store.find(task.id()).orElseThrow().fence()).as("nothing written").isEqualTo(1);
    clock.advance(LEASE.plusSeconds(1)); // the lease expires in the store too: recovered, run again
    timer.advance(Duration.ofSeconds(10));
    Runnable second = held.take();
    second.run();
    Task done = engine.get(task.id());
    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.leaseLosses()).isEqualTo(1);
    assertThat(done.attempt()).isEqualTo(1);
  }

  @Test
  void aRunWhoseLeasePassedDuringAStepStartsNoFurtherStep() throws Exception {
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine = engine(timer, false);
    Task task = engine.submit(TaskRequest.builder(TYPE).build());
    engine.start();
    timer.runDue();

    await().atMost(WAIT).until(() -> runThreads.size() == 1);
    runThreads.get(0).join(WAIT.toMillis()); // the first run has ended
    assertThat(runThreads.get(0).isAlive()).isFalse();
    assertThat(runs("two")).isZero();
    assertThat(engine.get(task.id()).status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(store.checkpoints(task.id()))
        .extracting(Checkpoint::stepKey)
        .containsExactly("one#1");

    clock.advance(LEASE.plusSeconds(1));
    Task done = awaitStatus(timer, task.id(), TaskStatus.COMPLETED);
    assertThat(runs("one")).as("its checkpoint committed: not run again").isEqualTo(1);
    assertThat(runs("two")).isEqualTo(1);
    assertThat(done.leaseLosses()).isEqualTo(1);
  }

  @Test
  void aRenewalMovesTheDeadline() {
    ManualTimer timer = new ManualTimer(clock);
    Agent agent =
        ctx -> {
          ctx.step(
              "one",
              String.class,
              () -> {
                nanos.addAndGet(LEASE.toNanos() / 2);
                timer.advance(Duration.ofSeconds(10)); // a heartbeat renews the lease
                nanos.addAndGet(LEASE.toNanos() / 2);
                return "1";
              });
          ctx.step("two", String.class, () -> "2 after " + ran("two"));
          return AgentResult.completed(Map.of());
        };
    TaskEngine engine = engine(timer, agent, b -> b.timer(pausable(timer)).executor(Runnable::run));
    Task task = engine.submit(TaskRequest.builder(TYPE).build());
    engine.start();
    timer.runDue();

    assertThat(runs("two")).isEqualTo(1);
    assertThat(engine.get(task.id()).status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(engine.get(task.id()).leaseLosses()).isZero();
  }
}
