package dev.errand.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.errand.StoreException;
import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.TaskStatus;
import dev.errand.agent.Agent;
import dev.errand.agent.AgentResult;
import dev.errand.spi.RenewRequest;
import dev.errand.spi.RenewResult;
import dev.errand.spi.TaskStore;
import dev.errand.testkit.EngineScenarioSupport;
import dev.errand.testkit.ForwardingTaskStore;
import dev.errand.testkit.ManualTimer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Regression: lost leases were reported by task id, so when a stale run and a newer run of the same
 * task sat in one engine, a heartbeat that found the stale lease gone stopped both.
 */
class StaleRunTest extends EngineScenarioSupport {
  private final AtomicBoolean partitioned = new AtomicBoolean();

  @Override
  protected TaskStore newStore() {
    return new ForwardingTaskStore(new InMemoryTaskStore()) {
      @Override
      public RenewResult renew(RenewRequest request) {
        if (partitioned.get()) {
          throw new StoreException("renewals cannot get through", null);
        }
        return super.renew(request);
      }
    };
  }

  @Test
  void aHeartbeatThatFindsTheStaleLeaseGoneStopsOnlyTheStaleRun() {
    CountDownLatch finish = new CountDownLatch(1);
    Set<Long> started = ConcurrentHashMap.newKeySet();
    Set<Long> interrupted = ConcurrentHashMap.newKeySet();
    Agent agent =
        ctx -> {
          ctx.step(
              "wait",
              String.class,
              () -> {
                started.add(ctx.fence());
                try {
                  finish.await();
                } catch (InterruptedException e) {
                  interrupted.add(ctx.fence());
                  throw e;
                }
                return "done";
              });
          return AgentResult.completed(Map.of("fence", ctx.fence()));
        };
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine = engine(timer, agent);
    ManualTimer otherTimer = new ManualTimer(clock);
    TaskEngine other = // runs other tasks only, but recovers any expired lease
        TaskEngine.builder()
            .store(store)
            .clock(clock)
            .timer(otherTimer)
            .agent("other", ctx -> AgentResult.completed(Map.of()))
            .leaseDuration(LEASE)
            .heartbeatInterval(Duration.ofSeconds(10))
            .build();
    Task task = engine.submit(TaskRequest.builder(TYPE).build());
    engine.start();
    timer.runDue();
    await().atMost(WAIT).until(() -> started.contains(1L));

    partitioned.set(true); // this engine's renewals fail until its lease expires,
    other.start(); // another engine recovers the task,
    otherTimer.advance(LEASE.plusSeconds(10));
    timer.runDue(); // and this engine claims it again while its first run still goes on
    await().atMost(WAIT).until(() -> started.size() == 2);
    long newer = started.stream().mapToLong(Long::longValue).max().orElseThrow();
    assertThat(newer).isGreaterThan(1L);

    partitioned.set(false);
    timer.advance(Duration.ofSeconds(10)); // renews both leases: the stale one is reported lost
    await().atMost(WAIT).until(() -> interrupted.contains(1L));
    finish.countDown();

    Task done = awaitStatus(timer, task.id(), TaskStatus.COMPLETED);
    assertThat(interrupted).as("only the stale run was stopped").containsExactly(1L);
    assertThat(done.result().get("fence").asLong()).isEqualTo(newer);
    assertThat(done.leaseLosses()).isEqualTo(1);
    assertThat(done.attempt()).isEqualTo(1);
    other.close();
  }
}
