package dev.errand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.errand.TaskStatus;
import dev.errand.spi.ClaimRequest;
import dev.errand.spi.Completion;
import dev.errand.spi.TaskRecord;
import dev.errand.testkit.TaskRecords;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hot path's work on PostgreSQL, counted at the connection: a submit, a claim and a completion
 * are each one statement that writes the task and its event together, and one commit; so are the
 * completions of many tasks written together, and up to a thousand tasks submitted together. (A
 * host's data source adds the statement that bounds each transaction.)
 */
class PostgresStatementCountTest {
  private final AtomicInteger prepared = new AtomicInteger();
  private final AtomicInteger commits = new AtomicInteger();
  private final HikariDataSource pool = pool();
  private final JdbcTaskStore store =
      JdbcTaskStore.builder(counting(pool)).tablePrefix(TestPostgres.freshPrefix()).build();

  @AfterEach
  void close() {
    store.close();
    pool.close();
  }

  private static HikariDataSource pool() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(TestPostgres.url());
    config.setUsername("postgres");
    config.setPassword("postgres");
    config.setMaximumPoolSize(2);
    return new HikariDataSource(config);
  }

  @Test
  void submitClaimAndCompleteAreOneStatementAndOneCommitEach() {
    Instant now = Instant.now();
    TaskRecord task = TaskRecords.aPendingTask(now).build();

    assertThat(counted(() -> store.insert(task))).isEqualTo(List.of(1, 1));
    List<TaskRecord> claimed = new ArrayList<>();
    ClaimRequest claim =
        new ClaimRequest("w1", now, now.plusSeconds(30), 16, Set.of(TaskRecords.TYPE));
    assertThat(counted(() -> claimed.addAll(store.claim(claim)))).isEqualTo(List.of(1, 1));
    TaskRecord running = claimed.get(0);
    assertThat(running.status()).isEqualTo(TaskStatus.RUNNING);
    Completion done =
        new Completion(
            running.id(), running.fence(), TaskStatus.COMPLETED, "{}", null, null, null, now);
    assertThat(counted(() -> store.complete(done))).isEqualTo(List.of(1, 1));

    assertThat(store.eventsAfter(0, 10))
        .extracting(e -> e.type().name())
        .containsExactly("TASK_SUBMITTED", "TASK_STARTED", "TASK_COMPLETED");
  }

  @Test
  void completionsWrittenTogetherAreOneStatementAndOneCommit() {
    Instant now = Instant.now();
    for (int i = 0; i < 50; i++) {
      store.insert(TaskRecords.aPendingTask(now).build());
    }
    List<TaskRecord> running =
        store.claim(new ClaimRequest("w1", now, now.plusSeconds(30), 50, Set.of(TaskRecords.TYPE)));
    List<Completion> completions =
        running.stream()
            .map(
                t ->
                    new Completion(
                        t.id(), t.fence(), TaskStatus.COMPLETED, "{}", null, null, null, now))
            .toList();
    List<Boolean> held = new ArrayList<>();

    assertThat(counted(() -> held.addAll(store.completeAll(completions)))).isEqualTo(List.of(1, 1));
    assertThat(held).hasSize(50).containsOnly(true);
    assertThat(store.eventsAfter(0, 200))
        .filteredOn(e -> e.type().name().equals("TASK_COMPLETED"))
        .hasSize(50);
  }

  @Test
  void tasksSubmittedTogetherAreOneStatementPerThousandAndOneCommit() {
    Instant now = Instant.now();
    List<TaskRecord> tasks = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      tasks.add(TaskRecords.aPendingTask(now).build());
    }
    assertThat(counted(() -> store.insertAll(tasks))).isEqualTo(List.of(3, 1));
  }

  /** Statements prepared and commits made while the action ran. */
  private List<Integer> counted(Runnable action) {
    prepared.set(0);
    commits.set(0);
    action.run();
    return List.of(prepared.get(), commits.get());
  }

  private DataSource counting(DataSource target) {
    return (DataSource)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {DataSource.class},
            forward(
                target,
                (method, result) ->
                    method.getName().equals("getConnection")
                        ? countingConnection((Connection) result)
                        : result));
  }

  private Connection countingConnection(Connection target) {
    return (Connection)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Connection.class},
            forward(
                target,
                (method, result) -> {
                  if (method.getName().equals("prepareStatement")) {
                    prepared.incrementAndGet();
                  } else if (method.getName().equals("commit")) {
                    commits.incrementAndGet();
                  }
                  return result;
                }));
  }

  private interface After {
    Object apply(Method method, Object result);
  }

  private static InvocationHandler forward(Object target, After after) {
    return (proxy, method, args) -> {
      try {
        return after.apply(method, method.invoke(target, args));
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
  }
}
