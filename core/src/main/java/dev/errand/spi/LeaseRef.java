package dev.errand.spi;

import java.util.Objects;
import java.util.UUID;

/**
 * A lease a worker believes it holds.
 *
 * @param taskId the task
 * @param fence the fence its claim returned
 */
public record LeaseRef(UUID taskId, long fence) {
  /** Checks the id is present. */
  public LeaseRef {
    Objects.requireNonNull(taskId, "taskId");
  }
}
