package dev.errand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskEventType;
import dev.errand.TaskQuery;
import dev.errand.TaskRequest;
import dev.errand.TaskStatus;
import dev.errand.agent.AgentResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A task submitted in the host's own transaction, on H2 and PostgreSQL: it exists if and only if
 * the host commits, it then runs, and a used idempotency key leaves the host's transaction usable.
 */
class TransactionalSubmitTest {
  private static final String TYPE = "follow_up";
  private static final Duration BOUND = Duration.ofSeconds(10);

  @TempDir Path dir;
  private HikariDataSource host;
  private TaskEngine engine;
  private String orders;

  @AfterEach
  void close() {
    engine.close();
    host.close();
  }

  private void open(String database) throws SQLException {
    HikariConfig config = new HikariConfig();
    String prefix = TestPostgres.freshPrefix();
    if (database.equals("h2")) {
      config.setJdbcUrl(JdbcTaskStore.h2FileUrl(dir));
      config.setUsername("sa");
      config.setPassword("");
    } else {
      config.setJdbcUrl(TestPostgres.url());
      config.setUsername("postgres");
      config.setPassword("postgres");
    }
    config.setMaximumPoolSize(4);
    host = new HikariDataSource(config);
    JdbcTaskStore store = JdbcTaskStore.builder(host).tablePrefix(prefix).build();
    engine =
        TaskEngine.builder()
            .store(store)
            .closeStoreOnClose(true)
            .agent(TYPE, ctx -> AgentResult.completed(null))
            .build();
    orders = prefix + "orders";
    try (Connection c = host.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + orders + " (id INT PRIMARY KEY)");
    }
  }

  /** The host's own write and a task, in one transaction it then ends as {@code commit} says. */
  private Task orderWithFollowUp(int order, TaskRequest request, boolean commit)
      throws SQLException {
    try (Connection c = host.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO " + orders + " (id) VALUES (" + order + ")");
      }
      Task task = engine.submit(c, request);
      if (commit) {
        c.commit();
      } else {
        c.rollback();
      }
      return task;
    }
  }

  private long orderCount() throws SQLException {
    try (Connection c = host.getConnection();
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT COUNT(*) FROM " + orders)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "pg"})
  void aCommittedTaskIsStoredWithItsEventAndRuns(String database) throws SQLException {
    open(database);
    engine.start();
    Task task = orderWithFollowUp(1, TaskRequest.builder(TYPE).build(), true);

    assertThat(task.status()).isEqualTo(TaskStatus.PENDING);
    await().atMost(BOUND).until(() -> engine.get(task.id()).status() == TaskStatus.COMPLETED);
    assertThat(engine.eventsAfter(0, 10))
        .filteredOn(e -> e.taskId().equals(task.id()))
        .extracting(e -> e.type())
        .containsExactly(
            TaskEventType.TASK_SUBMITTED, TaskEventType.TASK_STARTED, TaskEventType.TASK_COMPLETED);
    assertThat(orderCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "pg"})
  void aRolledBackTaskLeavesNothing(String database) throws SQLException {
    open(database);
    Task task = orderWithFollowUp(1, TaskRequest.builder(TYPE).build(), false);

    assertThat(engine.find(task.id())).isEmpty();
    assertThat(engine.list(TaskQuery.builder().build()).totalCount()).isZero();
    assertThat(engine.eventsAfter(0, 10)).isEmpty();
    assertThat(orderCount()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "pg"})
  void aUsedKeyGivesTheFirstTaskAndTheTransactionGoesOn(String database) throws SQLException {
    open(database);
    TaskRequest keyed = TaskRequest.builder(TYPE).idempotencyKey("order-1").build();
    Task first = engine.submit(keyed);

    Task again = orderWithFollowUp(2, keyed, true);

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(orderCount()).as("the host's write after the used key committed").isEqualTo(1);
    assertThat(engine.list(TaskQuery.builder().build()).totalCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "pg"})
  void aConnectionInAutoCommitIsRefused(String database) throws SQLException {
    open(database);
    try (Connection c = host.getConnection()) {
      assertThatThrownBy(() -> engine.submit(c, TaskRequest.builder(TYPE).build()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("auto-commit");
    }
    assertThat(engine.list(TaskQuery.builder().build()).totalCount()).isZero();
  }
}
