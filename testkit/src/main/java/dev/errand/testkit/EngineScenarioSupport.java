package dev.errand.testkit;

import static org.awaitility.Awaitility.await;

import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskEngineBuilder;
import dev.errand.TaskRequest;
import dev.errand.TaskStatus;
import dev.errand.agent.Agent;
import dev.errand.spi.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared set-up of the engine scenarios: a store from the subclass, a mutable clock, engines on
 * manual timers (so time moves only when the test says) with real worker threads, and counters of
 * how often each step body ran.
 */
public abstract class EngineScenarioSupport {
  /** The longest a scenario waits for a worker thread. */
  protected static final Duration WAIT = Duration.ofSeconds(10);

  /** The lease used by the scenarios. */
  protected static final Duration LEASE = Duration.ofSeconds(30);

  /** The task type the scenarios submit. */
  protected static final String TYPE = "scenario";

  protected final MutableClock clock = MutableClock.create();
  protected TaskStore store;
  private final List<TaskEngine> engines = new ArrayList<>();
  private final Map<String, AtomicInteger> stepRuns = new ConcurrentHashMap<>();

  /** A fresh, empty store; the scenarios share it between their engines. */
  protected abstract TaskStore newStore();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeAll() {
    engines.forEach(TaskEngine::close);
    store.close();
  }

  /**
   * An engine on this store and clock, driven by {@code timer}, with the agent under {@link #TYPE}.
   */
  protected TaskEngine engine(ManualTimer timer, Agent agent) {
    return engine(timer, agent, b -> b);
  }

  /** As {@link #engine(ManualTimer, Agent)}, with further settings. */
  protected TaskEngine engine(
      ManualTimer timer, Agent agent, UnaryOperator<TaskEngineBuilder> more) {
    TaskEngineBuilder builder =
        TaskEngine.builder()
            .store(store)
            .clock(clock)
            .timer(timer)
            .agent(TYPE, agent)
            .workers(4)
            .leaseDuration(LEASE)
            .heartbeatInterval(Duration.ofSeconds(10))
            .shutdownGracePeriod(Duration.ofMillis(200));
    TaskEngine engine = more.apply(builder).build();
    engines.add(engine);
    return engine;
  }

  /** Counts a run of the named step body and returns the new count. */
  protected int ran(String step) {
    return stepRuns.computeIfAbsent(step, s -> new AtomicInteger()).incrementAndGet();
  }

  /** How often the named step body ran. */
  protected int runs(String step) {
    AtomicInteger n = stepRuns.get(step);
    return n == null ? 0 : n.get();
  }

  /** Waits until the task has the status, running due timed work on {@code timer} meanwhile. */
  protected Task awaitStatus(ManualTimer timer, UUID id, TaskStatus status) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              timer.runDue();
              return store.find(id).orElseThrow().status() == status;
            });
    return firstEngine().get(id);
  }

  /** The first engine the test made. */
  protected TaskEngine firstEngine() {
    return engines.get(0);
  }

  /**
   * Submits a task, starts the engine, lets it claim the task and waits until its agent counts down
   * {@code reached}.
   */
  protected Task startInStep(
      ManualTimer timer, TaskEngine engine, TaskRequest request, CountDownLatch reached)
      throws InterruptedException {
    Task task = engine.submit(request);
    engine.start();
    timer.runDue();
    awaitLatch(reached);
    return task;
  }

  /** Waits for a latch a worker thread counts down. */
  protected static void awaitLatch(CountDownLatch latch) throws InterruptedException {
    if (!latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("worker did not reach the expected point within " + WAIT);
    }
  }
}
