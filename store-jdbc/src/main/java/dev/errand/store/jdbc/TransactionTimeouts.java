package dev.errand.store.jdbc;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds of every PostgreSQL transaction of the store, as one {@code SET LOCAL} batch run at
 * its start (one round trip), so that a paused or stalled process cannot hold a row lock, or wait
 * for one, for longer than they allow.
 */
record TransactionTimeouts(Duration idleInTransaction, Duration lock, Duration statement) {
  TransactionTimeouts {
    idleInTransaction = atLeastAMillisecond("idleInTransaction", idleInTransaction);
    lock = atLeastAMillisecond("lock", lock);
    statement = atLeastAMillisecond("statement", statement);
  }

  private static Duration atLeastAMillisecond(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.toMillis() < 1) {
      throw new IllegalArgumentException(name + " timeout must be at least 1 ms, was " + value);
    }
    return value;
  }

  /** The statements to run at the start of each transaction, or {@code null} for none. */
  String settings(Dialect dialect) {
    if (dialect != Dialect.POSTGRESQL) {
      return null;
    }
    return "SET LOCAL idle_in_transaction_session_timeout = "
        + idleInTransaction.toMillis()
        + "; SET LOCAL lock_timeout = "
        + lock.toMillis()
        + "; SET LOCAL statement_timeout = "
        + statement.toMillis();
  }
}
