package dev.errand.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A stored step output.
 *
 * @param taskId the task
 * @param seq the order in which the task's steps completed, from 1
 * @param stepKey the step's name and occurrence
 * @param output JSON text
 * @param at when the step completed
 */
public record Checkpoint(UUID taskId, int seq, String stepKey, String output, Instant at) {
  /** Checks the values are present. */
  public Checkpoint {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(stepKey, "stepKey");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(at, "at");
  }
}
