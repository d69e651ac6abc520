package dev.errand;

/** A store could not do what was asked, for example because its database is unreachable. */
public class StoreException extends ErrandException {
  private static final long serialVersionUID = 1L;

  private final String sqlState;

  /** A failure with no SQLState. */
  public StoreException(String message, Throwable cause) {
    this(message, null, cause);
  }

  /** A failure of a database call that reported this SQLState. */
  public StoreException(String message, String sqlState, Throwable cause) {
    super(sqlState == null ? message : message + " (SQLState " + sqlState + ")", cause);
    this.sqlState = sqlState;
  }

  /** The SQLState of the database error, or {@code null}. */
  public String sqlState() {
    return sqlState;
  }
}
