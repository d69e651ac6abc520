package dev.errand.store.jdbc;

import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.agent.AgentResult;
import java.nio.file.Path;
import java.util.Map;

/**
 * A child process for the crash test: submits tasks to the H2 database in the given directory for
 * ever, printing each id once its submit has returned. The parent kills it with SIGKILL.
 */
public final class SubmitterProcess {
  private SubmitterProcess() {}

  public static void main(String[] args) {
    TaskEngine engine =
        TaskEngine.builder()
            .store(JdbcTaskStore.h2File(Path.of(args[0])))
            .agent("crash_test", ctx -> AgentResult.completed(null))
            .build();
    for (int n = 0; ; n++) {
      Task task = engine.submit(TaskRequest.builder("crash_test").input(Map.of("n", n)).build());
      System.out.println(task.id());
      System.out.flush();
    }
  }
}
