package dev.errand.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A completed step's output, written under the run's fence.
 *
 * @param taskId the task
 * @param fence the run's fence
 * @param stepKey the step's name and occurrence, unique within the task
 * @param output JSON text
 * @param at when the step completed
 */
public record CheckpointWrite(UUID taskId, long fence, String stepKey, String output, Instant at) {
  /** Checks the values are present. */
  public CheckpointWrite {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(stepKey, "stepKey");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(at, "at");
  }
}
