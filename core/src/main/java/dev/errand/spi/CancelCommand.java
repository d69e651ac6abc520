package dev.errand.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A request to cancel a task.
 *
 * @param taskId the task
 * @param reason why, or {@code null}
 * @param force whether a running task ends at once rather than at its next step
 * @param at when the cancel was asked for
 */
public record CancelCommand(UUID taskId, String reason, boolean force, Instant at) {
  /** Checks the values are present. */
  public CancelCommand {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(at, "at");
  }
}
