package dev.errand.benchmarks;

import dev.errand.TaskStatus;
import dev.errand.spi.ClaimRequest;
import dev.errand.spi.Completion;
import dev.errand.spi.TaskRecord;
import dev.errand.spi.TaskStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Fills a store with {@code rows} tasks for W3: {@value #PENDING} PENDING and due, whatever the
 * size, so claims and PENDING pages do the same work at every size; the rest COMPLETED; over 100
 * organizations and 5 types. Database stores are filled with one INSERT ... SELECT; the in-memory
 * store through its SPI.
 */
final class Fill {
  static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");
  static final int PENDING = 1_000;

  private Fill() {}

  static void fill(Stores.Opened opened, int rows) throws SQLException {
    if (opened.jdbcUrl() == null) {
      fillThroughSpi(opened.store(), rows);
    } else {
      fillWithSql(opened, rows);
    }
  }

  private static void fillThroughSpi(TaskStore store, int rows) {
    for (int i = 1; i <= rows - PENDING; i++) {
      Instant created = NOW.minusSeconds(2L * i);
      store.insert(
          TaskRecord.newTask(UUID.randomUUID(), "t" + (i % 5), created)
              .organizationId("org-" + (i % 100))
              .ownerId("u")
              .priority(1 + i % 10)
              .maxAttempts(3)
              .build());
    }
    Instant later = NOW.plusSeconds(7200);
    Set<String> types = Set.of("t0", "t1", "t2", "t3", "t4");
    List<TaskRecord> batch;
    while (!(batch =
            store.claim(new ClaimRequest("fill", later, later.plusSeconds(60), 10_000, types)))
        .isEmpty()) {
      for (TaskRecord r : batch) {
        store.complete(
            new Completion(r.id(), r.fence(), TaskStatus.COMPLETED, "{}", null, null, null, later));
      }
    }
    for (int i = 0; i < PENDING; i++) {
      store.insert(
          TaskRecord.newTask(UUID.randomUUID(), "t" + (i % 5), NOW)
              .organizationId("org-" + (i % 100))
              .ownerId("u")
              .maxAttempts(3)
              .build());
    }
  }

  private static void fillWithSql(Stores.Opened o, int rows) throws SQLException {
    boolean h2 = o.kind() == Stores.Kind.H2;
    int every = Math.max(1, rows / PENDING);
    String x = h2 ? "X" : "x";
    String now = "TIMESTAMP WITH TIME ZONE '2026-11-24 00:00:00+00'";
    String sql =
        "INSERT INTO "
            + o.prefix()
            + "tasks (id, organization_id, owner_id, task_type, priority,"
            + " status, input, metadata, run_after, timeout_ms, max_attempts, attempt, fence,"
            + " progress_percentage, stages_completed, cancel_requested, created_at, started_at,"
            + " updated_at, completed_at) SELECT "
            + (h2 ? "RANDOM_UUID()" : "gen_random_uuid()")
            + ", 'org-' || ("
            + x
            + " % 100), 'u', 't' || ("
            + x
            + " % 5), 1 + "
            + x
            + " % 10,"
            + " CASE WHEN "
            + x
            + " % "
            + every
            + " = 0 THEN 'PENDING' ELSE 'COMPLETED' END, "
            + (h2 ? "'{}', '{}'" : "'{}'::jsonb, '{}'::jsonb")
            + ", "
            + now
            + " - "
            + x
            + " * INTERVAL '1' SECOND, 3600000, 3,"
            + " CASE WHEN "
            + x
            + " % "
            + every
            + " = 0 THEN 0 ELSE 1 END, 1, 100, "
            + (h2 ? "ARRAY[]" : "'{}'::text[]")
            + ", FALSE, "
            + now
            + " - "
            + x
            + " * INTERVAL '2' SECOND, "
            + now
            + " - "
            + x
            + " * INTERVAL '2' SECOND, "
            + now
            + ", CASE WHEN "
            + x
            + " % "
            + every
            + " = 0 THEN NULL ELSE "
            + now
            + " - "
            + x
            + " * INTERVAL '1' SECOND END FROM "
            + (h2 ? "SYSTEM_RANGE(1, " + rows + ")" : "generate_series(1, " + rows + ") AS g(x)");
    try (Connection c = DriverManager.getConnection(o.jdbcUrl(), o.user(), o.password());
        Statement s = c.createStatement()) {
      s.execute(sql);
      s.execute(h2 ? "ANALYZE" : "VACUUM ANALYZE " + o.prefix() + "tasks");
    }
  }
}
