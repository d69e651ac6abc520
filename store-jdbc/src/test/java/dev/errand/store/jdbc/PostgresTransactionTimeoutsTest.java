package dev.errand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bounds every PostgreSQL transaction of the store runs under (what lets a paused node's row
 * locks go, see the chaos suite): on the store's own pool for each session, on a host's data source
 * for each transaction only, leaving the host's sessions as they were.
 */
class PostgresTransactionTimeoutsTest {
  private static final List<String> NAMES =
      List.of("idle_in_transaction_session_timeout", "lock_timeout", "statement_timeout");

  private static JdbcTaskStore.Builder bounded(JdbcTaskStore.Builder b) {
    return b.tablePrefix(TestPostgres.freshPrefix())
        .transactionTimeouts(
            Duration.ofMillis(1500), Duration.ofMillis(2500), Duration.ofSeconds(7));
  }

  @Test
  void theStoresOwnPoolBoundsEverySession() {
    try (JdbcTaskStore store =
        bounded(JdbcTaskStore.builder(TestPostgres.url(), "postgres", "postgres")).build()) {
      assertThat(
              store
                  .db()
                  .inTransaction("reading settings", PostgresTransactionTimeoutsTest::settings))
          .containsExactly("1500ms", "2500ms", "7s");
    }
  }

  @Test
  void aHostDataSourceIsBoundedPerTransactionAndItsSessionsStayAsTheyWere() throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(TestPostgres.url());
    config.setUsername("postgres");
    config.setPassword("postgres");
    config.setMaximumPoolSize(1); // the host's next session is the one the store used
    try (HikariDataSource host = new HikariDataSource(config);
        JdbcTaskStore store = bounded(JdbcTaskStore.builder(host)).build()) {
      assertThat(
              store
                  .db()
                  .inTransaction("reading settings", PostgresTransactionTimeoutsTest::settings))
          .containsExactly("1500ms", "2500ms", "7s");
      try (Connection c = host.getConnection()) {
        assertThat(settings(c)).containsExactly("0", "0", "0");
      }
    }
  }

  @Test
  void aUrlThatSetsTheDriversOptionsKeepsThemAndIsBoundedPerTransaction() {
    String url = TestPostgres.url();
    url += (url.contains("?") ? "&" : "?") + "options=-c%20work_mem%3D8MB";
    try (JdbcTaskStore store =
        bounded(JdbcTaskStore.builder(url, "postgres", "postgres")).build()) {
      assertThat(
              store
                  .db()
                  .inTransaction("reading settings", PostgresTransactionTimeoutsTest::settings))
          .containsExactly("1500ms", "2500ms", "7s");
      String workMem = store.db().inTransaction("reading work_mem", c -> show(c, "work_mem"));
      assertThat(workMem).isEqualTo("8MB");
    }
  }

  @Test
  void boundsUnderAMillisecondAreRefusedNamingTheBound() {
    assertThatThrownBy(
            () ->
                JdbcTaskStore.builder(TestPostgres.url(), "postgres", "postgres")
                    .transactionTimeouts(
                        Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lock timeout must be at least 1 ms, was PT0S");
  }

  private static List<String> settings(Connection c) throws SQLException {
    List<String> values = new ArrayList<>();
    for (String name : NAMES) {
      values.add(show(c, name));
    }
    return values;
  }

  private static String show(Connection c, String setting) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
