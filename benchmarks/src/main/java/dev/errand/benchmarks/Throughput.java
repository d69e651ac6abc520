package dev.errand.benchmarks;

import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.agent.AgentResult;
import dev.errand.spi.TaskStore;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W1: submit no-op tasks with the workers stopped, then start them and drain. Drain speed is the
 * task count over the time from start to the last task's start.
 */
final class Throughput {
  private Throughput() {}

  static Result run(Stores.Opened opened, int tasks) throws InterruptedException {
    AtomicLong lastStart = new AtomicLong();
    CountDownLatch started = new CountDownLatch(tasks);
    TaskStore store = opened.store();
    try (TaskEngine engine =
        Engines.engine(
            store,
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
      long drainNanos = lastStart.get() - start;
      return Result.of(
          opened.kind().name,
          "W1",
          "tasks",
          Integer.toString(tasks),
          "submit_per_s",
          Stats.perSecond(tasks, submitNanos),
          "drain_per_s",
          Stats.perSecond(tasks, drainNanos));
    }
  }
}
