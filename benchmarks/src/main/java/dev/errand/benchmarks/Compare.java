package dev.errand.benchmarks;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Errand beside db-scheduler on the same database and the same host pool:
 *
 * <pre>
 * java -jar benchmarks/target/errand-benchmarks.jar compare [h2|pg|all] [--quick]
 * </pre>
 *
 * Per store: a warm-up round of each engine at full size (not shown), then rounds in which the
 * engines take turns in a rotated order, each on fresh tables: 20,000 no-op tasks enqueued one by
 * one with nothing running, then drained by 16 workers until every task's end is committed, then as
 * many enqueued in one call of the engine's batch API (Errand's {@code submitAll}, db-scheduler's
 * {@code scheduleBatch}); then 200 submit-to-start latencies of each. Prints a line per round and a
 * table of the medians, with Errand's ratios to db-scheduler.
 */
final class Compare {
  /** The sizes of a run: the issue's, or small ones to check that the command works. */
  record Sizes(int tasks, int rounds, int samples) {
    static final Sizes FULL = new Sizes(20_000, 3, 200);
    static final Sizes QUICK = new Sizes(500, 1, 20);
  }

  /** One engine's medians on one store. */
  record Row(
      String store,
      String engine,
      double enqueuePerS,
      double batchPerS,
      double drainPerS,
      double cpuMsPerTask,
      double dbCpuMsPerTask,
      double p50Ms,
      double p99Ms) {}

  private Compare() {}

  static void main(List<String> args) throws Exception {
    List<String> words = new ArrayList<>(args);
    Sizes sizes = words.remove("--quick") ? Sizes.QUICK : Sizes.FULL;
    String which = words.isEmpty() ? "all" : words.get(0);
    List<String> stores = which.equals("all") ? List.of("h2", "pg") : List.of(which);
    List<Row> rows = new ArrayList<>();
    for (String store : stores) {
      rows.addAll(run(store, sizes));
    }
    System.out.println();
    System.out.println(table(rows, sizes));
  }

  static List<Row> run(String store, Sizes sizes) throws Exception {
    try (CompareDatabase db = CompareDatabase.open(store)) {
      System.out.println("store=" + store + " durability=\"" + db.durability + "\"");
      List<Contestant> engines =
          List.of(
              new ErrandContestant(db, false),
              new ErrandContestant(db, true),
              new DbSchedulerContestant(db));
      for (Contestant c : engines) { // a full round of each, so that no measured round pays
        c.round(0, sizes.tasks()); // for compiling the engine's code (JIT threads count as CPU)
        c.batchEnqueue(0, sizes.tasks());
      }
      Map<Contestant, List<Contestant.Round>> rounds = new LinkedHashMap<>();
      Map<Contestant, List<Long>> batches = new LinkedHashMap<>();
      for (int r = 1; r <= sizes.rounds(); r++) {
        for (int i = 0; i < engines.size(); i++) {
          Contestant c = engines.get((i + r - 1) % engines.size());
          Contestant.Round round = c.round(r, sizes.tasks());
          long batch = c.batchEnqueue(r, sizes.tasks());
          System.out.println(line(store, c, r, sizes.tasks(), round, batch));
          rounds.computeIfAbsent(c, k -> new ArrayList<>()).add(round);
          batches.computeIfAbsent(c, k -> new ArrayList<>()).add(batch);
        }
      }
      List<Row> rows = new ArrayList<>();
      for (Contestant c : engines) {
        Stats latency = new Stats(c.latencies(sizes.samples()));
        rows.add(row(store, c, rounds.get(c), batches.get(c), sizes.tasks(), latency));
        c.close();
      }
      return rows;
    }
  }

  private static String line(
      String store, Contestant c, int r, int tasks, Contestant.Round x, long batchNanos) {
    return Result.of(
            store,
            "compare",
            "engine",
            c.name(),
            "round",
            Integer.toString(r),
            "enqueue_per_s",
            Stats.perSecond(tasks, x.enqueueNanos()),
            "batch_enqueue_per_s",
            Stats.perSecond(tasks, batchNanos),
            "drain_per_s",
            Stats.perSecond(tasks, x.drainNanos()),
            "cpu_ms_per_task",
            String.format("%.3f", x.cpuNanos() / 1e6 / tasks),
            "db_cpu_ms_per_task",
            String.format("%.3f", x.dbCpuNanos() / 1e6 / tasks))
        .line();
  }

  private static Row row(
      String store,
      Contestant c,
      List<Contestant.Round> rounds,
      List<Long> batches,
      int tasks,
      Stats latency) {
    return new Row(
        store,
        c.name(),
        median(rounds.stream().mapToDouble(x -> tasks / (x.enqueueNanos() / 1e9)).toArray()),
        median(batches.stream().mapToDouble(x -> tasks / (x / 1e9)).toArray()),
        median(rounds.stream().mapToDouble(x -> tasks / (x.drainNanos() / 1e9)).toArray()),
        median(rounds.stream().mapToDouble(x -> x.cpuNanos() / 1e6 / tasks).toArray()),
        median(rounds.stream().mapToDouble(x -> x.dbCpuNanos() / 1e6 / tasks).toArray()),
        latency.millis(50),
        latency.millis(99));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** The medians as a Markdown table, each Errand row with its ratio to db-scheduler. */
  static String table(List<Row> rows, Sizes sizes) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "compare on %s, %d cores, Java %s: %,d tasks, medians of %d rounds, %d latency"
                + " samples%n%n",
            LocalDate.now(),
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"),
            sizes.tasks(),
            sizes.rounds(),
            sizes.samples()));
    out.append(
        "| store | engine | enqueue/s | batch enqueue/s | batch vs db-scheduler | drain/s |"
            + " drain vs db-scheduler | JVM CPU ms/task | PostgreSQL CPU ms/task |"
            + " submit-to-start p50 ms | p99 ms |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      Row reference =
          rows.stream()
              .filter(x -> x.store().equals(r.store()) && x.engine().equals("db-scheduler"))
              .findFirst()
              .orElse(r);
      out.append(
          String.format(
              "| %s | %s | %,.0f | %,.0f | %.2fx | %,.0f | %.2fx | %.3f | %s | %.2f | %.2f |%n",
              r.store(),
              r.engine(),
              r.enqueuePerS(),
              r.batchPerS(),
              r.batchPerS() / reference.batchPerS(),
              r.drainPerS(),
              r.drainPerS() / reference.drainPerS(),
              r.cpuMsPerTask(),
              r.store().equals("pg") ? String.format("%.3f", r.dbCpuMsPerTask()) : "in the JVM",
              r.p50Ms(),
              r.p99Ms()));
    }
    return out.toString();
  }
}
