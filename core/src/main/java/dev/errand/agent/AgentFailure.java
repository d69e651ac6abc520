package dev.errand.agent;

import dev.errand.ErrandException;
import java.util.Objects;

/**
 * A failure an agent reports with a stable code. A retryable failure is retried under the engine's
 * retry policy like any exception; a non-retryable one fails the task at once.
 */
public class AgentFailure extends ErrandException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final boolean retryable;

  private AgentFailure(String code, String message, boolean retryable, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.code = Objects.requireNonNull(code, "code");
    this.retryable = retryable;
  }

  /** A failure that is retried while attempts remain. */
  public static AgentFailure retryable(String code, String message) {
    return new AgentFailure(code, message, true, null);
  }

  /** A failure that is retried while attempts remain, with its cause. */
  public static AgentFailure retryable(String code, String message, Throwable cause) {
    return new AgentFailure(code, message, true, cause);
  }

  /** A failure that fails the task at once. */
  public static AgentFailure nonRetryable(String code, String message) {
    return new AgentFailure(code, message, false, null);
  }

  /** A failure that fails the task at once, with its cause. */
  public static AgentFailure nonRetryable(String code, String message, Throwable cause) {
    return new AgentFailure(code, message, false, cause);
  }

  /** The stable code, stored as the task's error code. */
  public String code() {
    return code;
  }

  /** Whether the task may be run again. */
  public boolean isRetryable() {
    return retryable;
  }
}
