package dev.errand.spi;

import java.util.Objects;

/**
 * What {@link TaskStore#insert} did.
 *
 * @param task the stored task: the new one, or the one already stored under the idempotency key
 * @param created whether the task was newly stored
 */
public record InsertResult(TaskRecord task, boolean created) {
  /** Checks the task is present. */
  public InsertResult {
    Objects.requireNonNull(task, "task");
  }
}
