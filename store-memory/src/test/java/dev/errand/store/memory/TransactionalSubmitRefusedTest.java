package dev.errand.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.errand.TaskEngine;
import dev.errand.TaskQuery;
import dev.errand.TaskRequest;
import dev.errand.agent.AgentResult;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

/** The in-memory store cannot join a caller's database transaction, and says so. */
class TransactionalSubmitRefusedTest {
  @Test
  void aSubmitInTheCallersTransactionIsRefusedNamingWhatItTakes() {
    try (TaskEngine engine =
        TaskEngine.builder()
            .store(new InMemoryTaskStore())
            .agent("t", ctx -> AgentResult.completed(null))
            .build()) {
      Connection transaction =
          (Connection)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {Connection.class},
                  (proxy, method, args) -> {
                    throw new AssertionError("the connection was used: " + method.getName());
                  });
      assertThatThrownBy(() -> engine.submit(transaction, TaskRequest.builder("t").build()))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessage(
              "InMemoryTaskStore cannot store a task in the caller's transaction; that takes a"
                  + " store in the caller's database, such as the JDBC store");
      assertThat(engine.list(TaskQuery.builder().build()).totalCount()).isZero();
    }
  }
}
