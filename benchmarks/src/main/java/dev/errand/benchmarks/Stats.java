package dev.errand.benchmarks;

import java.util.Arrays;

/** Percentiles of samples in nanoseconds, printed in milliseconds. */
final class Stats {
  private final long[] sorted;

  Stats(long[] nanos) {
    this.sorted = nanos.clone();
    Arrays.sort(sorted);
  }

  /** The p-th percentile (0 to 100) in milliseconds, nearest rank. */
  double millis(double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }

  static String ms(double millis) {
    return String.format("%.3f", millis);
  }

  static String perSecond(long count, long nanos) {
    return String.format("%.0f", count / (nanos / 1e9));
  }
}
