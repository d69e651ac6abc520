package dev.errand.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskQuery;
import dev.errand.TaskRequest;
import dev.errand.TaskStatus;
import dev.errand.agent.AgentResult;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Real threads, real timer: many workers on one store run every task exactly once. */
class ExactlyOnceTest {
  private static final int TASKS = 10_000;

  @Test
  void eightWorkersRunTenThousandTasksEachExactlyOnce() {
    Map<UUID, AtomicInteger> invocations = new ConcurrentHashMap<>();
    InMemoryTaskStore store = new InMemoryTaskStore(4 * TASKS);
    try (TaskEngine engine =
        TaskEngine.builder()
            .store(store)
            .workers(8)
            .agent(
                "count",
                ctx -> {
                  ctx.step("work", Integer.class, () -> ctx.input().get("n").asInt());
                  invocations
                      .computeIfAbsent(ctx.taskId(), id -> new AtomicInteger())
                      .incrementAndGet();
                  return AgentResult.completed(Map.of("n", ctx.input().get("n")));
                })
            .build()) {
      engine.start();
      for (int i = 0; i < TASKS; i++) {
        engine.submit(TaskRequest.builder("count").input(Map.of("n", i)).build());
      }
      TaskQuery completed =
          TaskQuery.builder().statuses(Set.of(TaskStatus.COMPLETED)).limit(1).build();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> engine.list(completed).totalCount() == TASKS);

      assertThat(invocations).hasSize(TASKS);
      assertThat(invocations.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
      TaskQuery all = TaskQuery.builder().limit(TaskQuery.MAX_LIMIT).build();
      assertThat(engine.list(all).totalCount()).isEqualTo(TASKS);
      Task sample = engine.list(all).tasks().get(0);
      assertThat(sample.attempt()).isEqualTo(1);
      assertThat(sample.result().get("n").asInt()).isEqualTo(sample.input().get("n").asInt());
    }
  }
}
