package dev.errand.store.jdbc;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds of every PostgreSQL transaction of the store, so that a paused or stalled process
 * cannot hold a row lock, or wait for one, for longer than they allow: set on each connection of
 * the store's own pool when it opens, or at the start of each transaction on a host's data source.
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

  /**
   * The bounds as the PostgreSQL driver's {@code options} connection property: set by the server
   * when each connection of the store's own pool opens, at no cost per transaction.
   */
  String sessionOptions() {
    return "-c idle_in_transaction_session_timeout="
        + idleInTransaction.toMillis()
        + " -c lock_timeout="
        + lock.toMillis()
        + " -c statement_timeout="
        + statement.toMillis();
  }

  /**
   * Sets the bounds for the current transaction only, in one statement: for a host's data source,
   * whose sessions are left as they were.
   */
  String transactionSettings() {
    return "SELECT set_config('idle_in_transaction_session_timeout', '"
        + idleInTransaction.toMillis()
        + "', true), set_config('lock_timeout', '"
        + lock.toMillis()
        + "', true), set_config('statement_timeout', '"
        + statement.toMillis()
        + "', true)";
  }
}
