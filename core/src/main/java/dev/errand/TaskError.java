package dev.errand;

import java.util.Objects;

/**
 * Why a task failed: a stable code for programs and a message for people.
 *
 * @param code a stable upper-case code such as {@link #TASK_TIMEOUT}
 * @param message what went wrong, with the values involved
 */
public record TaskError(String code, String message) {
  /** The task ran past its timeout. */
  public static final String TASK_TIMEOUT = "TASK_TIMEOUT";

  /** The agent threw an exception on its last attempt. */
  public static final String AGENT_ERROR = "AGENT_ERROR";

  /** The worker holding the task stopped renewing its lease on the last attempt. */
  public static final String LEASE_EXPIRED = "LEASE_EXPIRED";

  /** Checks both values are present. */
  public TaskError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }
}
