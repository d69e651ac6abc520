package dev.errand.store.jdbc;

import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A child process for the crash test: submits one {@link StepsAgent} task to the H2 database in the
 * given directory and runs it, blocking in step s4. The parent kills it with SIGKILL after s3.
 */
public final class StepRunnerProcess {
  private StepRunnerProcess() {}

  public static void main(String[] args) throws InterruptedException {
    TaskEngine engine =
        TaskEngine.builder()
            .store(JdbcTaskStore.h2File(Path.of(args[0])))
            .agent("steps", new StepsAgent())
            .leaseDuration(Duration.ofSeconds(10))
            .heartbeatInterval(Duration.ofSeconds(3))
            .build();
    engine.submit(
        TaskRequest.builder("steps")
            .input(Map.of("side_file", args[1], "block_in", "s4"))
            .idempotencyKey("crash-test")
            .build());
    engine.start();
    new CountDownLatch(1).await(); // the engine's threads are daemons; stay alive until killed
  }
}
