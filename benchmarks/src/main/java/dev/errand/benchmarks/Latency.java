package dev.errand.benchmarks;

import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.agent.AgentResult;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * W2: on an idle running engine, submit one task at a time, 20 ms apart, and measure from the call
 * to submit to the agent's start; a warm-up of at least 2 seconds comes first.
 */
final class Latency {
  static final long GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(2);

  private Latency() {}

  static Result run(Stores.Opened opened, int samples) {
    Map<UUID, Long> startedAt = new ConcurrentHashMap<>();
    try (TaskEngine engine =
        Engines.engine(
            opened.store(),
            ctx -> {
              startedAt.put(ctx.taskId(), System.nanoTime());
              return AgentResult.completed(null);
            })) {
      engine.start();
      Stats stats = new Stats(samples(engine, startedAt, samples));
      return Result.of(
          opened.kind().name,
          "W2",
          "samples",
          Integer.toString(samples),
          "p50_ms",
          Stats.ms(stats.millis(50)),
          "p90_ms",
          Stats.ms(stats.millis(90)),
          "p99_ms",
          Stats.ms(stats.millis(99)));
    }
  }

  /**
   * Submit-to-start latencies of a started engine whose agent records each task's start in {@code
   * startedAt}, after the warm-up.
   */
  static long[] samples(TaskEngine engine, Map<UUID, Long> startedAt, int samples) {
    long warmUpEnd = System.nanoTime() + WARM_UP_NANOS;
    while (System.nanoTime() < warmUpEnd) {
      once(engine, startedAt);
    }
    long[] nanos = new long[samples];
    for (int i = 0; i < samples; i++) {
      nanos[i] = once(engine, startedAt);
    }
    return nanos;
  }

  /** Submits one task, waits (spinning briefly, then parking) for its start, then keeps the gap. */
  private static long once(TaskEngine engine, Map<UUID, Long> startedAt) {
    long submitted = System.nanoTime();
    Task task = engine.submit(TaskRequest.builder(Engines.TYPE).build());
    Long start;
    long giveUp = submitted + TimeUnit.SECONDS.toNanos(30);
    while ((start = startedAt.get(task.id())) == null) {
      if (System.nanoTime() > giveUp) {
        throw new IllegalStateException("task " + task.id() + " did not start within 30 s");
      }
      Thread.onSpinWait();
    }
    LockSupport.parkNanos(GAP_NANOS);
    return start - submitted;
  }
}
