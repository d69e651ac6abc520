package dev.errand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.errand.TaskEngine;
import dev.errand.TaskQuery;
import dev.errand.TaskRequest;
import dev.errand.TaskStatus;
import dev.errand.agent.AgentResult;
import dev.errand.spi.TaskStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several engines, each with its own store and pool, share one database like cluster nodes. */
class ClusterTest {
  private static final int ENGINES = 3;
  private static final int TASKS = 10_000;

  @TempDir Path dir;

  @Test
  void threeEnginesOnOnePostgresRunEveryTaskExactlyOnce() throws Exception {
    String prefix = TestPostgres.freshPrefix();
    runCluster(
        () ->
            JdbcTaskStore.builder(TestPostgres.url(), "postgres", "postgres")
                .tablePrefix(prefix)
                .build());
  }

  @Test
  void threeEnginesOnOneH2DatabaseRunEveryTaskExactlyOnce() throws Exception {
    runCluster(() -> JdbcTaskStore.h2File(dir));
  }

  private void runCluster(Supplier<TaskStore> stores) throws Exception {
    Map<UUID, AtomicInteger> runs = new ConcurrentHashMap<>();
    List<TaskEngine> engines = new ArrayList<>();
    try {
      for (int i = 0; i < ENGINES; i++) {
        engines.add(engine(stores.get(), runs, "node-" + i));
      }
      engines.forEach(TaskEngine::start);
      submitFromEveryNode(engines);
      TaskQuery completed =
          TaskQuery.builder().statuses(Set.of(TaskStatus.COMPLETED)).limit(1).build();
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> engines.get(0).list(completed).totalCount() == TASKS);
    } finally {
      engines.forEach(TaskEngine::close);
    }
    assertThat(runs).hasSize(TASKS);
    assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
  }

  private static TaskEngine engine(TaskStore store, Map<UUID, AtomicInteger> runs, String id) {
    return TaskEngine.builder()
        .store(store)
        .closeStoreOnClose(true)
        .workerId(id)
        .workers(8)
        .pollInterval(Duration.ofMillis(50))
        .agent(
            "count",
            ctx -> {
              ctx.step("work", Integer.class, () -> ctx.input().get("n").asInt());
              runs.computeIfAbsent(ctx.taskId(), k -> new AtomicInteger()).incrementAndGet();
              return AgentResult.completed(null);
            })
        .build();
  }

  private static void submitFromEveryNode(List<TaskEngine> engines) throws Exception {
    ExecutorService submitters = Executors.newFixedThreadPool(engines.size());
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int e = 0; e < engines.size(); e++) {
        TaskEngine engine = engines.get(e);
        int first = e;
        done.add(
            submitters.submit(
                () -> {
                  for (int n = first; n < TASKS; n += engines.size()) {
                    engine.submit(TaskRequest.builder("count").input(Map.of("n", n)).build());
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      submitters.shutdownNow();
    }
  }
}
