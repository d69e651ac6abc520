package dev.errand.benchmarks;

import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.agent.AgentResult;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** W4: one task of 100 durable steps with small outputs; the cost of each step, stored. */
final class StepCost {
  private StepCost() {}

  static Result run(Stores.Opened opened, int steps) throws InterruptedException {
    long[] nanos = new long[steps];
    CountDownLatch done = new CountDownLatch(1);
    try (TaskEngine engine =
        Engines.engine(
            opened.store(),
            ctx -> {
              for (int i = 0; i < steps; i++) {
                int n = i;
                long t = System.nanoTime();
                ctx.step("step", Map.class, () -> Map.of("n", n, "note", "small output"));
                nanos[i] = System.nanoTime() - t;
              }
              done.countDown();
              return AgentResult.completed(null);
            })) {
      engine.start();
      engine.submit(TaskRequest.builder(Engines.TYPE).build());
      if (!done.await(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the step task did not finish in 5 minutes");
      }
    }
    Stats stats = new Stats(nanos);
    return Result.of(
        opened.kind().name,
        "W4",
        "steps",
        Integer.toString(steps),
        "step_p50_ms",
        Stats.ms(stats.millis(50)),
        "step_p99_ms",
        Stats.ms(stats.millis(99)));
  }
}
