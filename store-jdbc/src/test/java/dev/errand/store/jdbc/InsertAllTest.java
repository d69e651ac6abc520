package dev.errand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.errand.StoreException;
import dev.errand.TaskQuery;
import dev.errand.spi.InsertResult;
import dev.errand.spi.TaskRecord;
import dev.errand.testkit.TaskRecords;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link JdbcTaskStore#insertAll} on H2 and PostgreSQL: one transaction, so a task the database
 * refuses leaves none stored; more tasks than one statement takes; events in list order.
 */
class InsertAllTest {
  private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

  @TempDir Path dir;
  private JdbcTaskStore store;

  @AfterEach
  void close() {
    store.close();
  }

  private JdbcTaskStore open(String database) {
    store = database.equals("h2") ? JdbcTaskStore.h2File(dir) : TestPostgres.newStore();
    return store;
  }

  private static List<TaskRecord> tasks(int count) {
    return IntStream.range(0, count).mapToObj(i -> TaskRecords.aPendingTask(NOW).build()).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "pg"})
  void aTaskTheDatabaseRefusesLeavesNoneStored(String database) {
    JdbcTaskStore store = open(database);
    List<TaskRecord> tasks = new ArrayList<>(tasks(1500));
    tasks.add(
        TaskRecords.aPendingTask(NOW).organizationId("o".repeat(201)).build()); // VARCHAR(200)

    assertThatThrownBy(() -> store.insertAll(tasks)).isInstanceOf(StoreException.class);

    assertThat(store.list(TaskQuery.builder().build()).totalCount()).isZero();
    assertThat(store.eventsAfter(0, 10)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "pg"})
  void moreTasksThanOneStatementTakesAreAllStoredWithTheirEventsInOrder(String database) {
    JdbcTaskStore store = open(database);
    List<TaskRecord> tasks = tasks(TaskInserts.CHUNK * 2 + 17);

    List<InsertResult> results = store.insertAll(tasks);

    assertThat(results).extracting(InsertResult::created).containsOnly(true);
    assertThat(results).extracting(r -> r.task().id()).containsExactlyElementsOf(ids(tasks));
    assertThat(store.list(TaskQuery.builder().build()).totalCount()).isEqualTo(tasks.size());
    assertThat(store.eventsAfter(0, tasks.size() + 1))
        .extracting(e -> e.taskId())
        .containsExactlyElementsOf(ids(tasks));
    TaskRecord stored = store.find(tasks.get(5).id()).orElseThrow();
    assertThat(stored)
        .usingRecursiveComparison()
        .ignoringFields("input", "metadata") // PostgreSQL's jsonb writes them back with spaces
        .isEqualTo(tasks.get(5));
    assertThat(stored.input().replace(" ", "")).isEqualTo(tasks.get(5).input());
  }

  private static List<UUID> ids(List<TaskRecord> tasks) {
    return tasks.stream().map(TaskRecord::id).toList();
  }
}
