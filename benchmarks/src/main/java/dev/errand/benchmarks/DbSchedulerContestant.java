package dev.errand.benchmarks;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * db-scheduler, the reference: 16 threads on the host's pool, immediate execution on, its {@code
 * fetch} polling strategy on H2 (the generic SQL has no single-statement lock-and-fetch) and {@code
 * lock-and-fetch} on PostgreSQL, as its documentation advises; one-time tasks, deleted when they
 * complete.
 */
final class DbSchedulerContestant implements Contestant {
  private static final String TABLE = "scheduled_tasks";

  private final CompareDatabase db;
  private final Map<String, Long> startedAt = new ConcurrentHashMap<>();
  private final OneTimeTask<Void> task =
      Tasks.oneTime("bench")
          .execute((instance, context) -> startedAt.put(instance.getId(), System.nanoTime()));

  DbSchedulerContestant(CompareDatabase db) throws IOException, SQLException {
    this.db = db;
    for (String statement : ddl(db.kind).split(";")) {
      if (!statement.isBlank()) {
        db.execute(statement);
      }
    }
  }

  private static String ddl(String kind) throws IOException {
    String name = "/compare/db-scheduler-" + kind + ".sql";
    try (InputStream in = DbSchedulerContestant.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Override
  public String name() {
    return "db-scheduler";
  }

  private Scheduler scheduler() {
    var b = Scheduler.create(db.host, task).threads(Engines.WORKERS).enableImmediateExecution();
    b = db.kind.equals("pg") ? b.pollUsingLockAndFetch(0.5, 1.0) : b.pollUsingFetch(0.5, 3.0);
    return b.shutdownMaxWait(Duration.ofSeconds(5)).build();
  }

  @Override
  public Round round(int round, int tasks) throws Exception {
    db.execute("DELETE FROM " + TABLE);
    db.settle(null);
    Scheduler scheduler = scheduler();
    try {
      Instant now = Instant.now();
      Contestant.CpuStart cpu = Contestant.CpuStart.now(db);
      long t0 = System.nanoTime();
      for (int i = 0; i < tasks; i++) {
        scheduler.schedule(task.instance(round + "-" + i), now);
      }
      long enqueued = System.nanoTime();
      scheduler.start();
      Contestant.awaitNone(db, "SELECT COUNT(*) FROM " + TABLE);
      long drained = System.nanoTime();
      return cpu.end(enqueued - t0, drained - enqueued);
    } finally {
      scheduler.stop();
      startedAt.clear();
    }
  }

  @Override
  public long batchEnqueue(int round, int tasks) throws Exception {
    db.execute("DELETE FROM " + TABLE);
    db.settle(null);
    Scheduler scheduler = scheduler();
    try {
      List<TaskInstance<?>> instances = new ArrayList<>(tasks);
      for (int i = 0; i < tasks; i++) {
        instances.add(task.instance("b" + round + "-" + i));
      }
      long t0 = System.nanoTime();
      scheduler.scheduleBatch(instances, Instant.now());
      return System.nanoTime() - t0;
    } finally {
      scheduler.stop();
    }
  }

  @Override
  public long[] latencies(int samples) throws Exception {
    db.execute("DELETE FROM " + TABLE);
    Scheduler scheduler = scheduler();
    scheduler.start();
    try {
      int n = 0;
      long warmUpEnd = System.nanoTime() + Latency.WARM_UP_NANOS;
      while (System.nanoTime() < warmUpEnd) {
        once(scheduler, "w" + n++);
      }
      long[] nanos = new long[samples];
      for (int i = 0; i < samples; i++) {
        nanos[i] = once(scheduler, "s" + i);
      }
      return nanos;
    } finally {
      scheduler.stop();
      startedAt.clear();
    }
  }

  private long once(Scheduler scheduler, String id) {
    long submitted = System.nanoTime();
    scheduler.schedule(task.instance(id), Instant.now());
    Long start;
    long giveUp = submitted + TimeUnit.SECONDS.toNanos(30);
    while ((start = startedAt.get(id)) == null) {
      if (System.nanoTime() > giveUp) {
        throw new IllegalStateException("db-scheduler task " + id + " did not start within 30 s");
      }
      Thread.onSpinWait();
    }
    LockSupport.parkNanos(Latency.GAP_NANOS);
    return start - submitted;
  }

  @Override
  public void close() {}
}
