package dev.errand.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.errand.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The HikariCP pool a store opens for a JDBC URL (and closes), and the dialect of a data source.
 */
final class OwnedPool {
  private OwnedPool() {}

  static HikariConfig config(String jdbcUrl, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("errand");
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setAutoCommit(false);
    config.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
    config.setMaximumPoolSize(16);
    return config;
  }

  /**
   * Sets PostgreSQL's transaction bounds on each connection of the pool, as the driver's {@code
   * options}, unless the URL sets its own (the URL's win).
   *
   * @return whether the bounds are set per session, so that transactions need not set them
   */
  static boolean boundEachSession(HikariConfig config, TransactionTimeouts timeouts) {
    String url = config.getJdbcUrl();
    if (url.startsWith("jdbc:postgresql:") && !url.contains("options=")) {
      config.addDataSourceProperty("options", timeouts.sessionOptions());
      return true;
    }
    return false;
  }

  /** Opens the pool; its first connection must succeed. */
  static HikariDataSource open(HikariConfig config) {
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) { // HikariCP fails the pool when its first connection fails
      SQLException sql = e.getCause() instanceof SQLException s ? s : null;
      throw new StoreException(
          "cannot connect to " + config.getJdbcUrl() + ": " + rootMessage(e),
          sql == null ? null : sql.getSQLState(),
          e);
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  static Dialect detect(DataSource source) {
    try (Connection c = source.getConnection()) {
      return Dialect.fromProductName(c.getMetaData().getDatabaseProductName());
    } catch (SQLException e) {
      throw new StoreException(
          "cannot reach the database to detect its dialect: " + e.getMessage(), e.getSQLState(), e);
    }
  }
}
