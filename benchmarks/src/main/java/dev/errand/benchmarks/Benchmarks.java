package dev.errand.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Runs the workloads on the stores and prints one line per result, then a summary table.
 *
 * <pre>
 * java -jar benchmarks/target/errand-benchmarks.jar [W1,W2,W3,W4,JMH|all] [memory,h2,pg|all] [--quick] [--webhooks]
 * java -jar benchmarks/target/errand-benchmarks.jar compare [h2|pg|all] [--quick]
 * </pre>
 *
 * JMH runs the micro benchmarks once, whatever the stores. {@code --quick} runs every workload at a
 * small size, to check that the command works. {@code --webhooks} switches webhook delivery on in
 * the engines. {@code compare} runs Errand beside db-scheduler ({@link Compare}).
 */
public final class Benchmarks {
  /** Workload sizes: the design's, or small ones for a quick check. */
  record Sizes(int w1Tasks, int w2Samples, int[] w3Rows, int w4Steps, boolean quick) {
    static final Sizes FULL = new Sizes(20_000, 200, new int[] {10_000, 1_000_000}, 100, false);
    static final Sizes QUICK = new Sizes(500, 20, new int[] {2_000}, 20, true);
  }

  private Benchmarks() {}

  /** Runs the command; see the class comment. */
  public static void main(String[] args) throws Exception {
    List<String> words = new ArrayList<>(Arrays.asList(args));
    if (!words.isEmpty() && words.get(0).equals("compare")) {
      Compare.main(words.subList(1, words.size()));
      return;
    }
    Sizes sizes = words.remove("--quick") ? Sizes.QUICK : Sizes.FULL;
    Engines.webhooks(words.remove("--webhooks"));
    List<String> workloads = choose(words.size() > 0 ? words.get(0) : "all", "W1,W2,W3,W4,JMH");
    List<Stores.Kind> stores =
        choose(words.size() > 1 ? words.get(1) : "all", "memory,h2,pg").stream()
            .map(Stores.Kind::of)
            .toList();
    List<Result> results = run(workloads, stores, sizes);
    System.out.println();
    System.out.println(SummaryTable.render(results));
  }

  static List<Result> run(List<String> workloads, List<Stores.Kind> stores, Sizes sizes)
      throws Exception {
    List<Result> results = new ArrayList<>();
    try {
      for (String workload : workloads) {
        if (workload.equals("JMH")) {
          print(MicroBenchmarks.run(sizes.quick()), results);
          continue;
        }
        for (Stores.Kind kind : stores) {
          print(runOne(workload, kind, sizes), results);
        }
      }
    } finally {
      Stores.shutdown();
    }
    return results;
  }

  private static void print(List<Result> some, List<Result> results) {
    for (Result r : some) {
      System.out.println(r.line());
      results.add(r);
    }
  }

  private static List<Result> runOne(String workload, Stores.Kind kind, Sizes sizes)
      throws Exception {
    List<Result> out = new ArrayList<>();
    switch (workload) {
      case "W1" -> out.add(withStore(kind, o -> Throughput.run(o, sizes.w1Tasks())));
      case "W2" -> out.add(withStore(kind, o -> Latency.run(o, sizes.w2Samples())));
      case "W3" -> {
        withStore(kind, o -> ScaleWorkload.run(o, sizes.w3Rows()[0])); // warms the JIT; not shown
        for (int rows : sizes.w3Rows()) {
          out.add(withStore(kind, o -> ScaleWorkload.run(o, rows)));
        }
      }
      case "W4" -> out.add(withStore(kind, o -> StepCost.run(o, sizes.w4Steps())));
      default -> throw new IllegalArgumentException("unknown workload " + workload);
    }
    return out;
  }

  @FunctionalInterface
  private interface Workload {
    Result run(Stores.Opened opened) throws Exception;
  }

  private static Result withStore(Stores.Kind kind, Workload workload) throws Exception {
    Stores.Opened opened = Stores.open(kind);
    try {
      return workload.run(opened);
    } finally {
      opened.close();
    }
  }

  private static List<String> choose(String given, String all) {
    String list = given.equalsIgnoreCase("all") ? all : given;
    return Arrays.stream(list.split(","))
        .map(s -> s.strip().toLowerCase(Locale.ROOT))
        .map(s -> s.startsWith("w") || s.equals("jmh") ? s.toUpperCase(Locale.ROOT) : s)
        .toList();
  }
}
