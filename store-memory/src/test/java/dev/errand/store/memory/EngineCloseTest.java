package dev.errand.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.errand.TaskEngine;
import dev.errand.agent.AgentResult;
import dev.errand.schedule.Schedule;
import dev.errand.testkit.ForwardingTaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Regression: {@code close()} returned while background loops still ran, so the schedule firer and
 * the webhook dispatcher went on using a store the host had closed after it.
 */
class EngineCloseTest {
  /** Counts calls under way, and records what the store saw when it was closed or used after. */
  private static final class WatchedStore extends ForwardingTaskStore {
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicBoolean closed = new AtomicBoolean();
    final AtomicBoolean holdSchedules = new AtomicBoolean();
    final CountDownLatch scheduleReadHeld = new CountDownLatch(1);
    final CountDownLatch releaseScheduleRead = new CountDownLatch(1);
    final List<String> violations = new CopyOnWriteArrayList<>();

    WatchedStore() {
      super(new InMemoryTaskStore());
    }

    @Override
    public List<Schedule> dueSchedules(Instant now, int limit) {
      if (closed.get()) {
        violations.add("dueSchedules after the store was closed");
      }
      inFlight.incrementAndGet();
      try {
        if (holdSchedules.getAndSet(false)) {
          scheduleReadHeld.countDown();
          releaseScheduleRead.await(); // a slow database
        }
        return super.dueSchedules(now, limit);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of();
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public void close() {
      if (inFlight.get() > 0) {
        violations.add(inFlight.get() + " calls under way when the store was closed");
      }
      closed.set(true);
      super.close();
    }
  }

  @Test
  void closeWaitsForTheScheduleFirersPassBeforeClosingTheStore() throws Exception {
    WatchedStore store = new WatchedStore();
    TaskEngine engine =
        TaskEngine.builder()
            .store(store)
            .closeStoreOnClose(true)
            .pollInterval(Duration.ofMillis(20))
            .agent("noop", ctx -> AgentResult.completed(Map.of()))
            .build();
    store.holdSchedules.set(true);
    engine.start();
    store.scheduleReadHeld.await();

    Thread closer = new Thread(engine::close, "closer");
    closer.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                closer.getState() == Thread.State.TIMED_WAITING
                    || closer.getState() == Thread.State.WAITING
                    || closer.getState() == Thread.State.TERMINATED);
    store.releaseScheduleRead.countDown();
    closer.join(Duration.ofSeconds(20).toMillis());

    assertThat(closer.isAlive()).isFalse();
    assertThat(store.closed).isTrue();
    assertThat(store.violations).isEmpty();
  }
}
