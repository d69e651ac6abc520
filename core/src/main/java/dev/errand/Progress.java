package dev.errand;

import java.util.List;
import java.util.Objects;

/**
 * How far a running task has come, as its agent last reported it.
 *
 * @param percentage 0 to 100
 * @param currentStage the stage the agent is in, or {@code null} before it reported one
 * @param stagesCompleted the stages finished so far, in order
 */
public record Progress(int percentage, String currentStage, List<String> stagesCompleted) {
  /** Progress of a task that has reported nothing yet. */
  public static final Progress NONE = new Progress(0, null, List.of());

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if percentage is outside 0..100
   */
  public Progress {
    if (percentage < 0 || percentage > 100) {
      throw new IllegalArgumentException("percentage must be between 0 and 100, was " + percentage);
    }
    stagesCompleted = List.copyOf(Objects.requireNonNull(stagesCompleted, "stagesCompleted"));
  }
}
