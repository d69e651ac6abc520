package dev.errand.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.TaskStatus;
import dev.errand.agent.AgentResult;
import dev.errand.schedule.Schedule;
import dev.errand.spi.ClaimRequest;
import dev.errand.spi.ReclaimRequest;
import dev.errand.spi.RenewRequest;
import dev.errand.spi.RenewResult;
import dev.errand.spi.TaskRecord;
import dev.errand.testkit.ForwardingTaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Regression: claim passes, heartbeats and lease recovery shared the engine timer's threads, so a
 * slow database (claims and recovery hanging) held renewals back until the leases expired.
 */
class SlowStoreHeartbeatTest {
  /** Claims, lease recovery and schedule reads hang while {@code slow} is set; renewals do not. */
  private static final class SlowStore extends ForwardingTaskStore {
    final AtomicBoolean slow = new AtomicBoolean();
    final CountDownLatch fast = new CountDownLatch(1);
    final AtomicInteger renewals = new AtomicInteger();

    SlowStore() {
      super(new InMemoryTaskStore());
    }

    private void hangWhileSlow() {
      if (slow.get()) {
        try {
          fast.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public List<TaskRecord> claim(ClaimRequest request) {
      hangWhileSlow();
      return super.claim(request);
    }

    @Override
    public int reclaimExpired(ReclaimRequest request) {
      hangWhileSlow();
      return super.reclaimExpired(request);
    }

    @Override
    public List<Schedule> dueSchedules(Instant now, int limit) {
      hangWhileSlow();
      return super.dueSchedules(now, limit);
    }

    @Override
    public RenewResult renew(RenewRequest request) {
      renewals.incrementAndGet();
      return super.renew(request);
    }
  }

  @Test
  void leasesAreRenewedWhileClaimsAndRecoveryHangOnASlowDatabase() throws Exception {
    SlowStore store = new SlowStore();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    try (TaskEngine engine =
        TaskEngine.builder()
            .store(store)
            .leaseDuration(Duration.ofSeconds(3))
            .heartbeatInterval(Duration.ofMillis(200))
            .pollInterval(Duration.ofMillis(50))
            .agent(
                "long",
                ctx -> {
                  ctx.step(
                      "work",
                      String.class,
                      () -> {
                        running.countDown();
                        finish.await();
                        return "done";
                      });
                  return AgentResult.completed(Map.of());
                })
            .build()) {
      Task task = engine.submit(TaskRequest.builder("long").build());
      engine.start();
      running.await();
      store.slow.set(true); // every claim pass and recovery pass from now on hangs

      int before = store.renewals.get();
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> store.renewals.get() >= before + 10);
      } finally { // the database is fast again and the task may end, whatever the outcome
        store.slow.set(false);
        store.fast.countDown();
        finish.countDown();
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> engine.get(task.id()).status() == TaskStatus.COMPLETED);
      assertThat(engine.get(task.id()).leaseLosses()).isZero();
    }
  }
}
