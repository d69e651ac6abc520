package dev.errand.benchmarks;

import dev.errand.spi.ClaimRequest;
import dev.errand.spi.Release;
import dev.errand.spi.TaskRecord;
import dev.errand.store.memory.InMemoryTaskStore;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH: a worker's claim of 16 due tasks from the in-memory store holding {@code pending} due tasks,
 * and the 16 given back so the next claim finds the same store. The database stores' claims are
 * measured by W3, where the round trip, not the code path, is the cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ClaimBatchBenchmark {
  private static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");
  private static final Set<String> TYPES = Set.of("t0", "t1", "t2", "t3", "t4");

  @Param({"10000", "1000000"})
  public int pending;

  private InMemoryTaskStore store;
  private ClaimRequest request;

  @Setup
  public void fill() {
    store = new InMemoryTaskStore();
    for (int i = 0; i < pending; i++) {
      store.insert(
          TaskRecord.newTask(UUID.randomUUID(), "t" + (i % 5), NOW.minusSeconds(i))
              .organizationId("org-" + (i % 100))
              .ownerId("u")
              .priority(1 + i % 10)
              .maxAttempts(3)
              .build());
    }
    request = new ClaimRequest("bench", NOW, NOW.plusSeconds(60), 16, TYPES);
  }

  /** Claims 16 and gives them back. */
  @Benchmark
  public int claimAndGiveBack() {
    List<TaskRecord> claimed = store.claim(request);
    for (TaskRecord r : claimed) {
      store.release(new Release(r.id(), r.fence(), NOW, null, null, false, NOW));
    }
    return claimed.size();
  }
}
