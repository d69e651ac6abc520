package dev.errand.benchmarks;

import java.util.List;
import java.util.Map;

/** The results as a plain-text table, one row per result. */
final class SummaryTable {
  private SummaryTable() {}

  static String render(List<Result> results) {
    StringBuilder out = new StringBuilder();
    out.append(String.format("%-8s %-4s %s%n", "store", "load", "figures"));
    out.append("-".repeat(72)).append('\n');
    for (Result r : results) {
      StringBuilder figures = new StringBuilder();
      for (Map.Entry<String, String> e : r.metrics().entrySet()) {
        figures.append(String.format("%s=%s  ", e.getKey(), e.getValue()));
      }
      out.append(
          String.format("%-8s %-4s %s%n", r.store(), r.workload(), figures.toString().strip()));
    }
    return out.toString();
  }
}
