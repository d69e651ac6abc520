package dev.errand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.errand.StoreException;
import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.TaskStatus;
import dev.errand.agent.AgentResult;
import dev.errand.spi.TaskStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL is stopped and started again under a running engine. */
class DatabaseRestartTest {
  @TempDir Path data;

  @Test
  void engineRidesOutADatabaseRestartAndLosesNoAcknowledgedTask() throws Exception {
    int port = freePort();
    EmbeddedPostgres pg = start(port);
    AtomicInteger storeFailures = new AtomicInteger();
    TaskStore store =
        countingFailures(
            JdbcTaskStore.builder(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres")
                .build(),
            storeFailures);
    List<UUID> acknowledged = new ArrayList<>();
    try (TaskEngine engine = engine(store)) {
      engine.start();
      submit(engine, acknowledged, 100);
      await().atMost(Duration.ofSeconds(60)).until(() -> completed(engine, acknowledged) >= 20);

      pg.close();
      assertThatThrownBy(() -> engine.submit(TaskRequest.builder("work").build()))
          .as("a submit while the database is down is refused, not acknowledged")
          .isInstanceOf(StoreException.class);
      await().atMost(Duration.ofSeconds(60)).until(() -> storeFailures.get() >= 5);

      pg = start(port);
      submit(engine, acknowledged, 50);
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> completed(engine, acknowledged) == acknowledged.size());
    } finally {
      pg.close();
    }
    assertThat(acknowledged).hasSize(150);
  }

  private static TaskEngine engine(TaskStore store) {
    return TaskEngine.builder()
        .store(store)
        .closeStoreOnClose(true)
        .workers(4)
        .pollInterval(Duration.ofMillis(100))
        .leaseDuration(Duration.ofSeconds(6))
        .heartbeatInterval(Duration.ofSeconds(1))
        .agent(
            "work",
            ctx -> {
              int n = ctx.input().path("n").asInt();
              ctx.step("one", Integer.class, () -> n);
              ctx.step("two", Integer.class, () -> n * 2);
              return AgentResult.completed(Map.of("n", n));
            })
        .build();
  }

  private static void submit(TaskEngine engine, List<UUID> acknowledged, int count) {
    for (int i = 0; i < count; i++) {
      acknowledged.add(
          engine.submit(TaskRequest.builder("work").input(Map.of("n", i)).build()).id());
    }
  }

  private static long completed(TaskEngine engine, List<UUID> ids) {
    try {
      return ids.stream().filter(id -> engine.get(id).status() == TaskStatus.COMPLETED).count();
    } catch (StoreException e) {
      return -1; // the database is not back yet
    }
  }

  private EmbeddedPostgres start(int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The store, counting the StoreExceptions the engine meets. */
  private static TaskStore countingFailures(TaskStore store, AtomicInteger failures) {
    return (TaskStore)
        Proxy.newProxyInstance(
            TaskStore.class.getClassLoader(),
            new Class<?>[] {TaskStore.class},
            (proxy, method, args) -> {
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                if (e.getCause() instanceof StoreException) {
                  failures.incrementAndGet();
                }
                throw e.getCause();
              }
            });
  }
}
