package dev.errand.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One workload's figures on one store, printed as {@code store=h2 workload=W1 key=value ...}.
 *
 * @param store the store's short name
 * @param workload W1 to W4
 * @param metrics the figures, in print order
 */
record Result(String store, String workload, Map<String, String> metrics) {
  Result {
    metrics = new LinkedHashMap<>(metrics);
  }

  /** A result from key, value, key, value, ..., kept in that order. */
  static Result of(String store, String workload, String... keyValues) {
    Map<String, String> metrics = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      metrics.put(keyValues[i], keyValues[i + 1]);
    }
    return new Result(store, workload, metrics);
  }

  String line() {
    return "store="
        + store
        + " workload="
        + workload
        + " "
        + metrics.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(" "));
  }
}
