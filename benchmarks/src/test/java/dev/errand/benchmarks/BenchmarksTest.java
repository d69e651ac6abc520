package dev.errand.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The command runs every workload (at the quick sizes) and prints its figures; no timing is judged.
 */
class BenchmarksTest {
  @Test
  void everyWorkloadRunsOnTheInMemoryAndH2Stores() throws Exception {
    List<Result> results =
        Benchmarks.run(
            List.of("W1", "W2", "W3", "W4", "JMH"),
            List.of(Stores.Kind.MEMORY, Stores.Kind.H2),
            Benchmarks.Sizes.QUICK);
    assertThat(results).hasSize(8 + 5);
    assertThat(results)
        .extracting(Result::line)
        .anySatisfy(l -> assertThat(l).startsWith("store=h2 workload=W1 tasks=500 submit_per_s="))
        .anySatisfy(l -> assertThat(l).contains("workload=W2").contains("p99_ms="))
        .anySatisfy(l -> assertThat(l).contains("workload=W3").contains("claim16_p50_ms="))
        .anySatisfy(l -> assertThat(l).contains("workload=W4").contains("step_p50_ms="))
        .anySatisfy(
            l -> assertThat(l).startsWith("store=memory workload=JMH bench=claimAndGiveBack"))
        .anySatisfy(l -> assertThat(l).contains("bench=encode output=message us_per_op="));
  }

  @Test
  void compareRunsErrandAndDbSchedulerOnH2AndPrintsTheTable() throws Exception {
    List<Compare.Row> rows = Compare.run("h2", Compare.Sizes.QUICK);
    assertThat(rows)
        .extracting(Compare.Row::engine)
        .containsExactly("errand-host-pool", "errand-own-pool", "db-scheduler");
    assertThat(rows).allSatisfy(r -> assertThat(r.drainPerS()).isPositive());
    assertThat(Compare.table(rows, Compare.Sizes.QUICK))
        .contains("| h2 | db-scheduler |")
        .contains("| 1.00x |");
  }
}
