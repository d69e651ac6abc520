package dev.errand.spi;

import dev.errand.TaskStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The end of a run that ends the task, written under the run's fence.
 *
 * @param taskId the task
 * @param fence the run's fence
 * @param status the final status
 * @param result JSON text or {@code null}
 * @param report text or {@code null}
 * @param errorCode error code or {@code null}
 * @param errorMessage error message or {@code null}
 * @param at when the run ended
 */
public record Completion(
    UUID taskId,
    long fence,
    TaskStatus status,
    String result,
    String report,
    String errorCode,
    String errorMessage,
    Instant at) {
  /** Checks the status is final. */
  public Completion {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(at, "at");
    if (!status.isFinal()) {
      throw new IllegalArgumentException("status must be final, was " + status);
    }
  }
}
