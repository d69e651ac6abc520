package dev.errand.store.jdbc;

import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.agent.AgentResult;
import dev.errand.spi.Completion;
import dev.errand.testkit.ForwardingTaskStore;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A child process for the crash test: submits tasks to the H2 database in the given directory, runs
 * them with 16 workers, whose completions are written in groups, and prints "completed id" for each
 * completion the store has committed, as the write returns (the moment its worker is released). The
 * parent kills it with SIGKILL while groups are being gathered and written.
 */
public final class CompleterProcess {
  static final String TYPE = "crash_test";
  static final int TASKS = 3000;

  private CompleterProcess() {}

  public static void main(String[] args) throws InterruptedException {
    JdbcTaskStore store = JdbcTaskStore.h2File(Path.of(args[0]));
    TaskEngine engine =
        TaskEngine.builder()
            .store(new Printing(store))
            .workers(16)
            .agent(TYPE, ctx -> AgentResult.completed(null))
            .build();
    engine.submitAll(Collections.nCopies(TASKS, TaskRequest.builder(TYPE).build()));
    System.out.println("submitted");
    System.out.flush();
    engine.start();
    new CountDownLatch(1).await(); // the engine's threads are daemons: keep the process up
  }

  /** Prints each completion the store reports stored, once its write has returned. */
  private static final class Printing extends ForwardingTaskStore {
    Printing(JdbcTaskStore delegate) {
      super(delegate);
    }

    @Override
    public boolean complete(Completion completion) {
      return print(List.of(completion), List.of(delegate.complete(completion))).get(0);
    }

    @Override
    public List<Boolean> completeAll(List<Completion> completions) {
      return print(completions, delegate.completeAll(completions));
    }

    private static synchronized List<Boolean> print(List<Completion> done, List<Boolean> held) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < done.size(); i++) {
        if (held.get(i)) {
          out.append("completed ").append(done.get(i).taskId()).append('\n');
        }
      }
      System.out.print(out);
      System.out.flush();
      return held;
    }
  }
}
