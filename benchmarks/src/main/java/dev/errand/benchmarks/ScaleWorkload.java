package dev.errand.benchmarks;

import dev.errand.TaskQuery;
import dev.errand.TaskStatus;
import dev.errand.spi.ClaimRequest;
import dev.errand.spi.Release;
import dev.errand.spi.TaskRecord;
import dev.errand.spi.TaskStore;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * W3: with {@code rows} tasks stored, the latency of get-by-id, of the first list page with a
 * status filter (the few PENDING, and the many COMPLETED, newest first) and of a claim of 16. Each
 * is called {@value #SAMPLES} times untimed first, so the figures are of compiled code, not of the
 * JIT warming up.
 */
final class ScaleWorkload {
  private static final int SAMPLES = 50;
  private static final Set<String> TYPES = Set.of("t0", "t1", "t2", "t3", "t4");

  private ScaleWorkload() {}

  static Result run(Stores.Opened opened, int rows) throws SQLException {
    long t0 = System.nanoTime();
    Fill.fill(opened, rows);
    long fillNanos = System.nanoTime() - t0;
    TaskStore store = opened.store();
    List<UUID> ids =
        store
            .list(TaskQuery.builder().statuses(Set.of(TaskStatus.COMPLETED)).limit(SAMPLES).build())
            .tasks()
            .stream()
            .map(TaskRecord::id)
            .toList();
    int[] next = {0};
    Map<String, String> m = new LinkedHashMap<>();
    m.put("tasks", Integer.toString(rows));
    m.put("fill_s", String.format("%.1f", fillNanos / 1e9));
    m.put("get_p50_ms", p50(() -> store.find(ids.get(next[0]++ % ids.size()))));
    m.put("list_pending_p50_ms", p50(() -> store.list(page(TaskStatus.PENDING))));
    m.put("list_completed_p50_ms", p50(() -> store.list(page(TaskStatus.COMPLETED))));
    m.put("claim16_p50_ms", Stats.ms(claimMillis(store)));
    return new Result(opened.kind().name, "W3", m);
  }

  private static TaskQuery page(TaskStatus status) {
    return TaskQuery.builder().statuses(Set.of(status)).build();
  }

  private static String p50(Supplier<Object> call) {
    for (int i = 0; i < SAMPLES; i++) {
      call.get();
    }
    long[] nanos = new long[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      long t = System.nanoTime();
      call.get();
      nanos[i] = System.nanoTime() - t;
    }
    return Stats.ms(new Stats(nanos).millis(50));
  }

  /** Median of timed claims of 16; each batch is given back (untimed) before the next. */
  private static double claimMillis(TaskStore store) {
    Instant now = Fill.NOW.plusSeconds(1);
    long[] nanos = new long[2 * SAMPLES];
    for (int i = 0; i < 2 * SAMPLES; i++) {
      long t = System.nanoTime();
      List<TaskRecord> claimed =
          store.claim(new ClaimRequest("bench", now, now.plusSeconds(60), 16, TYPES));
      nanos[i] = System.nanoTime() - t;
      for (TaskRecord r : claimed) {
        store.release(new Release(r.id(), r.fence(), now, null, null, false, now));
      }
    }
    return new Stats(Arrays.copyOfRange(nanos, SAMPLES, 2 * SAMPLES)).millis(50);
  }
}
