package dev.errand.llm;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How much one run may use. When any runs out, the model is asked, without tools, for its report of
 * what it finished and what remains, and the task ends INCOMPLETE with that report.
 *
 * @param maxModelCalls model calls, the closing report not counted
 * @param maxToolCalls tool calls
 * @param maxTokens tokens, prompt and completion, as the provider counts them
 * @param maxWallTime time from the run's first start
 */
public record Budgets(int maxModelCalls, int maxToolCalls, long maxTokens, Duration maxWallTime) {
  /** Checks the values. */
  public Budgets {
    Objects.requireNonNull(maxWallTime, "maxWallTime");
    if (maxModelCalls < 1
        || maxToolCalls < 0
        || maxTokens < 1
        || maxWallTime.isNegative()
        || maxWallTime.isZero()) {
      throw new IllegalArgumentException(
          "budgets must be positive (tool calls may be 0), were "
              + maxModelCalls
              + " model calls, "
              + maxToolCalls
              + " tool calls, "
              + maxTokens
              + " tokens, "
              + maxWallTime);
    }
  }

  /** 25 model calls, 50 tool calls, 500,000 tokens, one hour. */
  public static Budgets defaults() {
    return new Budgets(25, 50, 500_000, Duration.ofHours(1));
  }

  /** Which budget stops the next model call, as words for the model and the report; or empty. */
  Optional<String> beforeModelCall(int modelCalls, long tokens, Duration elapsed) {
    if (modelCalls >= maxModelCalls) {
      return Optional.of("the budget of " + maxModelCalls + " model calls");
    }
    if (tokens >= maxTokens) {
      return Optional.of("the budget of " + maxTokens + " tokens");
    }
    if (elapsed.compareTo(maxWallTime) >= 0) {
      return Optional.of("the time budget of " + maxWallTime);
    }
    return Optional.empty();
  }

  /** Which budget stops the next tool call; or empty. */
  Optional<String> beforeToolCall(int toolCalls) {
    return toolCalls >= maxToolCalls
        ? Optional.of("the budget of " + maxToolCalls + " tool calls")
        : Optional.empty();
  }
}
