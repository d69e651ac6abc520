package dev.errand.benchmarks;

import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.agent.AgentResult;
import dev.errand.store.jdbc.JdbcTaskStore;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Errand with 16 workers and its defaults otherwise, on the host's pool ({@code
 * JdbcTaskStore.builder(dataSource)}) or on a pool of its own ({@code builder(url, user,
 * password)}), on fresh tables each round.
 */
final class ErrandContestant implements Contestant {
  private final CompareDatabase db;
  private final boolean ownPool;
  private final Map<UUID, Long> startedAt = new ConcurrentHashMap<>();

  ErrandContestant(CompareDatabase db, boolean ownPool) {
    this.db = db;
    this.ownPool = ownPool;
  }

  @Override
  public String name() {
    return ownPool ? "errand-own-pool" : "errand-host-pool";
  }

  private JdbcTaskStore store(String prefix) {
    JdbcTaskStore.Builder b =
        ownPool
            ? JdbcTaskStore.builder(db.url, db.user, db.password)
            : JdbcTaskStore.builder(db.host);
    return b.tablePrefix(prefix).build();
  }

  private TaskEngine engine(JdbcTaskStore store) {
    return Engines.engine(
        store,
        ctx -> {
          startedAt.put(ctx.taskId(), System.nanoTime());
          return AgentResult.completed(null);
        });
  }

  @Override
  public Round round(int round, int tasks) throws Exception {
    String prefix = (ownPool ? "co" : "ch") + round + "_";
    db.settle(null);
    try (JdbcTaskStore store = store(prefix);
        TaskEngine engine = engine(store)) {
      TaskRequest request = TaskRequest.builder(Engines.TYPE).build();
      Contestant.CpuStart cpu = Contestant.CpuStart.now(db);
      long t0 = System.nanoTime();
      for (int i = 0; i < tasks; i++) {
        engine.submit(request);
      }
      long enqueued = System.nanoTime();
      engine.start();
      Contestant.awaitNone(
          db, "SELECT COUNT(*) FROM " + prefix + "tasks WHERE status IN ('PENDING', 'RUNNING')");
      long drained = System.nanoTime();
      return cpu.end(enqueued - t0, drained - enqueued);
    } finally {
      startedAt.clear();
    }
  }

  @Override
  public long batchEnqueue(int round, int tasks) throws Exception {
    String prefix = (ownPool ? "bo" : "bh") + round + "_";
    db.settle(null);
    try (JdbcTaskStore store = store(prefix);
        TaskEngine engine = engine(store)) {
      List<TaskRequest> requests =
          Collections.nCopies(tasks, TaskRequest.builder(Engines.TYPE).build());
      long t0 = System.nanoTime();
      engine.submitAll(requests);
      return System.nanoTime() - t0;
    }
  }

  @Override
  public long[] latencies(int samples) throws Exception {
    try (JdbcTaskStore store = store((ownPool ? "lo" : "lh") + "_");
        TaskEngine engine = engine(store)) {
      engine.start();
      return Latency.samples(engine, startedAt, samples);
    } finally {
      startedAt.clear();
    }
  }

  @Override
  public void close() {}
}
