package dev.errand.examples;

import dev.errand.SortOrder;
import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskEvent;
import dev.errand.TaskPage;
import dev.errand.TaskQuery;
import dev.errand.TaskRequest;
import dev.errand.TaskSort;
import dev.errand.spi.TaskStore;
import dev.errand.store.jdbc.JdbcTaskStore;
import dev.errand.store.memory.InMemoryTaskStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs one three-step task in-process, printing its events as they arrive, then its result and
 * report. By default the tasks live in memory; with {@code --h2 DIR} they live in the embedded H2
 * database in DIR, so a second run lists the tasks of the first.
 */
public final class InProcessExample {
  private static final String TEXT =
      "Errand runs long jobs in the background. Each job is a task. A task runs in steps, "
          + "and each finished step is stored. When a worker dies, another worker resumes the "
          + "task after its last stored step. Stored steps are never run twice.";

  private InProcessExample() {}

  /** Runs the example: no arguments for the in-memory store, {@code --h2 DIR} for H2. */
  public static void main(String[] args) throws InterruptedException {
    BlockingQueue<UUID> ended = new LinkedBlockingQueue<>();
    try (TaskEngine engine =
        TaskEngine.builder()
            .store(store(args))
            .closeStoreOnClose(true)
            .agent("word_stats", new WordStatsAgent())
            .build()) {
      printStored(engine);
      engine.addListener(event -> print(event, ended));
      engine.start();

      Task task =
          engine.submit(
              TaskRequest.builder("word_stats")
                  .input(new WordStatsAgent.Input(TEXT, 3))
                  .metadata(Map.of("requester", "example"))
                  .build());
      while (!engine.get(task.id()).isFinal()) {
        if (ended.poll(30, TimeUnit.SECONDS) == null) {
          throw new IllegalStateException("task did not end within 30 seconds");
        }
      }
      Task done = engine.get(task.id());
      System.out.println("status:  " + done.status());
      System.out.println("result:  " + done.result());
      System.out.println("report:  " + done.report());
    }
  }

  private static TaskStore store(String[] args) {
    if (args.length == 2 && args[0].equals("--h2")) {
      Path dir = Path.of(args[1]);
      System.out.println("tasks are kept in the H2 database in " + dir.toAbsolutePath());
      return JdbcTaskStore.h2File(dir);
    }
    if (args.length != 0) {
      throw new IllegalArgumentException("usage: InProcessExample [--h2 DIR]");
    }
    return new InMemoryTaskStore();
  }

  private static void printStored(TaskEngine engine) {
    TaskPage stored =
        engine.list(TaskQuery.builder().sort(TaskSort.CREATED_AT, SortOrder.ASC).build());
    System.out.println("tasks already stored: " + stored.totalCount());
    for (Task t : stored.tasks()) {
      System.out.println("  " + t.id() + "  " + t.status() + "  created " + t.createdAt());
    }
  }

  private static void print(TaskEvent event, BlockingQueue<UUID> ended) {
    switch (event.type()) {
      case TASK_SUBMITTED -> System.out.println("task_submitted  " + event.taskId());
      case TASK_PROGRESS ->
          System.out.printf("  progress %3d%%  %s%n", event.percentage(), event.stage());
      default -> System.out.println("  " + event.type().wireName());
    }
    if (event.status().isFinal()) {
      ended.add(event.taskId());
    }
  }
}
