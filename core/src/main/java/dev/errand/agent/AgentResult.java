package dev.errand.agent;

import java.util.Objects;

/**
 * How an agent's run ended. Use {@link #completed}, {@link #incomplete} or {@link #failed}.
 *
 * @param outcome which of the three
 * @param result the output, any value the ObjectMapper can write, or {@code null}
 * @param report the agent's account of what it did and did not do, or {@code null}
 * @param failure why it failed, for {@link Outcome#FAILED}
 */
public record AgentResult(Outcome outcome, Object result, String report, AgentFailure failure) {
  /** The three ways a run ends. */
  public enum Outcome {
    /** All the work was done. */
    COMPLETED,
    /** Part of the work was done; the report says what remains. */
    INCOMPLETE,
    /** The task failed without retry. */
    FAILED
  }

  /** Checks that a failure comes with its cause and only then. */
  public AgentResult {
    Objects.requireNonNull(outcome, "outcome");
    if ((outcome == Outcome.FAILED) != (failure != null)) {
      throw new IllegalArgumentException("a failure is given exactly when the outcome is FAILED");
    }
    if (failure != null && failure.isRetryable()) {
      throw new IllegalArgumentException(
          "a FAILED result ends the task without retry; throw the retryable failure instead");
    }
  }

  /** The work was done. */
  public static AgentResult completed(Object result) {
    return new AgentResult(Outcome.COMPLETED, result, null, null);
  }

  /** The work was done, with a report of it. */
  public static AgentResult completed(Object result, String report) {
    return new AgentResult(Outcome.COMPLETED, result, report, null);
  }

  /** Part of the work was done; the report says what was and was not. */
  public static AgentResult incomplete(Object partialResult, String report) {
    return new AgentResult(
        Outcome.INCOMPLETE, partialResult, Objects.requireNonNull(report, "report"), null);
  }

  /** The task fails at once, without retry. */
  public static AgentResult failed(String code, String message) {
    return new AgentResult(Outcome.FAILED, null, null, AgentFailure.nonRetryable(code, message));
  }
}
