package dev.errand.store.jdbc;

import static dev.errand.testkit.TaskRecords.aPendingTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.errand.StoreException;
import dev.errand.TaskQuery;
import dev.errand.spi.TaskRecord;
import dev.errand.store.jdbc.JdbcTaskStore.SchemaMode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcTaskStoreBuilderTest {
  @TempDir Path dir;

  private JdbcTaskStore.Builder h2() {
    return JdbcTaskStore.builder(JdbcTaskStore.h2FileUrl(dir), "sa", "");
  }

  @Test
  void validateModeRefusesADatabaseWithoutTheSchemaAndAcceptsAMigratedOne() {
    assertThatThrownBy(() -> h2().schemaMode(SchemaMode.VALIDATE).build())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("database schema with prefix 'errand_' is at version 0")
        .hasMessageContaining("needs version " + SchemaMigrator.latestVersion());
    h2().build().close();
    h2().build().close(); // a second migrate finds nothing to do
    try (JdbcTaskStore validated = h2().schemaMode(SchemaMode.VALIDATE).build()) {
      assertThat(validated.lastEventSeq()).isZero();
    }
  }

  @Test
  void aDatabaseMigratedByANewerErrandIsUsedByValidateAndMigrateStoresAsItIs() throws Exception {
    int latest = SchemaMigrator.latestVersion();
    h2().build().close();
    sql( // what a newer Errand's additive version might do, then record
        "ALTER TABLE errand_tasks ADD COLUMN from_a_newer_errand VARCHAR(20) DEFAULT 'x' NOT NULL",
        "INSERT INTO errand_schema_version (version, description) VALUES ("
            + (latest + 1)
            + ", 'V"
            + (latest + 1)
            + "__from_a_newer_errand')");
    Instant t0 = Instant.parse("2026-01-05T09:00:00Z");
    for (SchemaMode mode : SchemaMode.values()) {
      try (JdbcTaskStore store = h2().schemaMode(mode).build()) {
        TaskRecord task = store.insert(aPendingTask(t0).build()).task();
        assertThat(store.find(task.id())).as(mode.name()).isPresent();
      }
    }
    assertThat(schemaVersions()).hasSize(latest + 1).endsWith(latest + 1); // nothing applied
  }

  @Test
  void validateModeRefusesADatabaseAtAnOlderVersionNamingBothVersions() throws Exception {
    int latest = SchemaMigrator.latestVersion();
    h2().build().close();
    sql("DELETE FROM errand_schema_version WHERE version = " + latest);
    assertThatThrownBy(() -> h2().schemaMode(SchemaMode.VALIDATE).build())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("is at version " + (latest - 1))
        .hasMessageContaining("needs version " + latest);
  }

  @Test
  void upgradingToVersion2DeliversWebhooksOnlyForEventsAfterTheUpgrade() throws Exception {
    Instant t0 = Instant.parse("2026-01-05T09:00:00Z");
    TaskRecord before;
    try (JdbcTaskStore store = h2().build()) {
      before =
          store.insert(aPendingTask(t0).webhookUrl("https://hooks.example.com/h").build()).task();
    }
    try (var c = java.sql.DriverManager.getConnection(JdbcTaskStore.h2FileUrl(dir), "sa", "");
        var s = c.createStatement()) { // back to a version 1 database holding that task's event
      s.execute("DROP TABLE errand_webhook_deliveries");
      s.execute("DROP TABLE errand_webhook_gone_urls");
      s.execute("DROP TABLE errand_webhook_cursor");
      s.execute("DROP TABLE errand_schedules");
      s.execute("DELETE FROM errand_schema_version WHERE version >= 2");
    }
    try (JdbcTaskStore store = h2().build()) {
      TaskRecord after =
          store.insert(aPendingTask(t0).webhookUrl("https://hooks.example.com/h").build()).task();
      while (store.prepareWebhookDeliveries(t0, 100) > 0) {
        // all of them
      }
      assertThat(store.webhookDeliveries(before.id())).isEmpty();
      assertThat(store.webhookDeliveries(after.id())).hasSize(1);
    }
  }

  @Test
  void storesStartingTogetherOnANewH2DatabaseAllSucceed() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<JdbcTaskStore>> starts = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        starts.add(pool.submit(() -> h2().build()));
      }
      for (Future<JdbcTaskStore> start : starts) {
        start.get().close();
      }
    } finally {
      pool.shutdownNow();
    }
    try (JdbcTaskStore validated = h2().schemaMode(SchemaMode.VALIDATE).build()) {
      assertThat(validated.list(TaskQuery.builder().build()).totalCount()).isZero();
    }
  }

  @Test
  void storesWithOtherPrefixesInOneDatabaseDoNotSeeEachOthersTasks() {
    try (JdbcTaskStore a = h2().tablePrefix("app_a_").build();
        JdbcTaskStore b = h2().tablePrefix("app_b_").build()) {
      TaskRecord task = a.insert(aPendingTask(Instant.now()).build()).task();
      assertThat(a.find(task.id())).isPresent();
      assertThat(b.find(task.id())).isEmpty();
      assertThat(b.list(TaskQuery.builder().build()).totalCount()).isZero();
    }
  }

  @Test
  void badSettingsAreRefusedNamingTheRule() {
    assertThatThrownBy(() -> h2().tablePrefix("x; DROP TABLE y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tablePrefix must match");
    assertThatThrownBy(
            () ->
                JdbcTaskStore.builder(TestPostgres.url(), "postgres", "postgres")
                    .syncOnCommit(true)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("syncOnCommit applies to H2 only");
  }

  @Test
  void anUnreachableDatabaseIsAStoreExceptionWithItsSqlState() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres";
    assertThatThrownBy(() -> JdbcTaskStore.builder(url, "postgres", "postgres").build())
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.sqlState()).isEqualTo("08001");
              assertThat(e.getMessage()).contains("cannot connect to " + url);
            });
  }

  private void sql(String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(JdbcTaskStore.h2FileUrl(dir), "sa", "");
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private List<Integer> schemaVersions() throws SQLException {
    List<Integer> versions = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(JdbcTaskStore.h2FileUrl(dir), "sa", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version FROM errand_schema_version ORDER BY 1")) {
      while (rs.next()) {
        versions.add(rs.getInt(1));
      }
    }
    return versions;
  }
}
