package dev.errand.benchmarks;

import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.agent.AgentResult;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W1: submit no-op tasks with the workers stopped, then start them and drain. Drain speed is the
 * task count over the time from start to the last task's start. A first, unmeasured round of a
 * tenth of the tasks warms the JIT, as W2's warm-up does.
 */
final class Throughput {
  private Throughput() {}

  /** Nanoseconds spent submitting and draining one round. */
  private record Round(long submitNanos, long drainNanos) {}

  static Result run(Stores.Opened opened, int tasks) throws InterruptedException {
    round(opened, Math.max(1, tasks / 10));
    Round measured = round(opened, tasks);
    return Result.of(
        opened.kind().name,
        "W1",
        "tasks",
        Integer.toString(tasks),
        "submit_per_s",
        Stats.perSecond(tasks, measured.submitNanos()),
        "drain_per_s",
        Stats.perSecond(tasks, measured.drainNanos()));
  }

  private static Round round(Stores.Opened opened, int tasks) throws InterruptedException {
    AtomicLong lastStart = new AtomicLong();
    CountDownLatch started = new CountDownLatch(tasks);
    try (TaskEngine engine =
        Engines.engine(
            opened.store(),
            ctx -> {
              lastStart.accumulateAndGet(System.nanoTime(), Math::max);
              started.countDown();
              return AgentResult.completed(null);
            })) {
      TaskRequest request = TaskRequest.builder(Engines.TYPE).build();
      long t0 = System.nanoTime();
      for (int i = 0; i < tasks; i++) {
        engine.submit(request);
      }
      long submitNanos = System.nanoTime() - t0;
      long start = System.nanoTime();
      engine.start();
      if (!started.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException(started.getCount() + " tasks not started in 10 minutes");
      }
      return new Round(submitNanos, lastStart.get() - start);
    }
  }
}
