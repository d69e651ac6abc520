package dev.errand.store.jdbc;

import dev.errand.StoreException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Runs units of work in transactions on the store's data source, and turns every SQLException into
 * a {@link StoreException} that keeps the SQLState.
 */
final class Db {
  /** Work done with a connection inside a transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  static final int ATTEMPTS = 3;

  private final DataSource dataSource;
  private final Dialect dialect;
  private final String transactionSettings;

  /**
   * @param transactionSettings a statement run at the start of every transaction (PostgreSQL's
   *     transaction-local timeouts on a host's data source), or {@code null}
   */
  Db(DataSource dataSource, Dialect dialect, String transactionSettings) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.transactionSettings = transactionSettings;
  }

  Dialect dialect() {
    return dialect;
  }

  /**
   * Runs the work in one transaction: committed if it returns, rolled back if it throws. If the
   * connection turns out to be dead before the commit was sent (a pooled connection to a database
   * that has restarted), the work is run again on another connection, up to {@value #ATTEMPTS}
   * times in all: nothing was committed, so running it again is safe. (The pool drops each dead
   * connection, so the pool's other stale connections are used up one by one.)
   */
  <T> T inTransaction(String what, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return attempt(work);
      } catch (DeadBeforeCommit dead) {
        if (attempt == ATTEMPTS) {
          throw failure(what, dead.cause);
        }
      } catch (SQLException e) {
        throw failure(what, e);
      }
    }
  }

  private static StoreException failure(String what, SQLException e) {
    return new StoreException(what + " failed: " + e.getMessage(), e.getSQLState(), e);
  }

  private <T> T attempt(Work<T> work) throws SQLException, DeadBeforeCommit {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        return runAndCommit(c, work);
      } finally {
        if (autoCommit) {
          restoreAutoCommit(c); // a host's pool may not reset what the store changed
        }
      }
    }
  }

  private <T> T runAndCommit(Connection c, Work<T> work) throws SQLException, DeadBeforeCommit {
    T result;
    try {
      if (transactionSettings != null) {
        try (Statement s = c.createStatement()) {
          s.execute(transactionSettings);
        }
      }
      result = work.run(c);
    } catch (SQLException e) {
      rollbackQuietly(c, e);
      if (isDeadConnection(e)) {
        throw new DeadBeforeCommit(e);
      }
      throw e;
    } catch (RuntimeException e) {
      rollbackQuietly(c, e);
      throw e;
    }
    c.commit(); // a failure here is ambiguous: the commit may have happened, so no retry
    return result;
  }

  /** Best effort: on a dead connection there is nothing to restore, and the pool drops it. */
  private static void restoreAutoCommit(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException e) {
      // the connection is broken; the failure that matters is the one already being thrown
    }
  }

  /**
   * SQLState class 08 (connection exception), PostgreSQL's 57P01-57P03 (server shut down) or 25P03
   * (the session was ended for sitting idle in its transaction, as a paused process's is).
   */
  static boolean isDeadConnection(SQLException e) {
    String state = e.getSQLState();
    return state != null
        && (state.startsWith("08")
            || state.equals("57P01")
            || state.equals("57P02")
            || state.equals("57P03")
            || state.equals("25P03"));
  }

  /** The connection died before anything was committed. */
  private static final class DeadBeforeCommit extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient SQLException cause;

    DeadBeforeCommit(SQLException cause) {
      super(cause);
      this.cause = cause;
    }
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
    ps.setObject(index, instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static UUID uuid(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, UUID.class);
  }

  /**
   * One column of {@code rows} as an array parameter of the given SQL element type, for statements
   * that take many rows at once through {@code unnest}.
   */
  static <T> Array column(Connection c, String type, List<T> rows, Function<T, ?> value)
      throws SQLException {
    return c.createArrayOf(type, rows.stream().map(value).toArray());
  }

  Array textArray(Connection c, Collection<String> values) throws SQLException {
    return c.createArrayOf(dialect.textArrayType(), values.toArray());
  }

  Array uuidArray(Connection c, Collection<UUID> values) throws SQLException {
    return c.createArrayOf(dialect.uuidArrayType(), values.toArray());
  }
}
