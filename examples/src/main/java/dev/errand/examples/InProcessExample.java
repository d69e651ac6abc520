package dev.errand.examples;

import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskEvent;
import dev.errand.TaskRequest;
import dev.errand.store.memory.InMemoryTaskStore;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one three-step task in-process on the in-memory store, printing its progress as the engine's
 * events arrive, then its result and report.
 */
public final class InProcessExample {
  private static final String TEXT =
      "Errand runs long jobs in the background. Each job is a task. A task runs in steps, "
          + "and each finished step is stored. When a worker dies, another worker resumes the "
          + "task after its last stored step. Stored steps are never run twice.";

  private InProcessExample() {}

  /** Runs the example. */
  public static void main(String[] args) throws InterruptedException {
    try (TaskEngine engine =
        TaskEngine.builder()
            .store(new InMemoryTaskStore())
            .agent("word_stats", new WordStatsAgent())
            .build()) {
      CountDownLatch ended = new CountDownLatch(1);
      engine.addListener(event -> print(event, ended));
      engine.start();

      Task task =
          engine.submit(
              TaskRequest.builder("word_stats")
                  .input(new WordStatsAgent.Input(TEXT, 3))
                  .metadata(Map.of("requester", "example"))
                  .build());
      if (!ended.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("task did not end within 30 seconds");
      }
      Task done = engine.get(task.id());
      System.out.println("status:  " + done.status());
      System.out.println("result:  " + done.result());
      System.out.println("report:  " + done.report());
    }
  }

  private static void print(TaskEvent event, CountDownLatch ended) {
    switch (event.type()) {
      case TASK_SUBMITTED -> System.out.println("task_submitted  " + event.taskId());
      case TASK_PROGRESS ->
          System.out.printf("  progress %3d%%  %s%n", event.percentage(), event.stage());
      default -> System.out.println("  " + event.type().wireName());
    }
    if (event.status().isFinal()) {
      ended.countDown();
    }
  }
}
