package dev.errand;

/** The root of every exception Errand throws. */
public class ErrandException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public ErrandException(String message) {
    super(message);
  }

  /** An exception with a message and a cause. */
  public ErrandException(String message, Throwable cause) {
    super(message, cause);
  }
}
