package dev.errand.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A running task's new progress, written under the run's fence.
 *
 * @param taskId the task
 * @param fence the run's fence
 * @param percentage 0 to 100
 * @param currentStage the stage now running, or {@code null}
 * @param stagesCompleted the completed stages
 * @param outputPreview new preview JSON text, or {@code null} to keep the stored one
 * @param at when it was reported
 */
public record ProgressUpdate(
    UUID taskId,
    long fence,
    int percentage,
    String currentStage,
    List<String> stagesCompleted,
    String outputPreview,
    Instant at) {
  /** Checks the values and copies the list. */
  public ProgressUpdate {
    Objects.requireNonNull(taskId, "taskId");
    stagesCompleted = List.copyOf(stagesCompleted);
    Objects.requireNonNull(at, "at");
  }
}
