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

  /**
   * The task's lease was lost more often than the engine allows ({@code
   * TaskEngineBuilder.maxLeaseLosses}): its workers died, stalled or lost the database that many
   * times while running it. A lost lease is not the agent's failure and spends no attempt; a task
   * that takes its workers down again and again ends with this code instead.
   */
  public static final String LEASE_LOSSES_EXCEEDED = "LEASE_LOSSES_EXCEEDED";

  /** Checks both values are present. */
  public TaskError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }
}
