package dev.errand.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A run ends without ending the task, which goes back to PENDING, under the run's fence.
 *
 * @param taskId the task
 * @param fence the run's fence
 * @param runAfter when the task may run again
 * @param errorCode the error that ended the run, or {@code null}
 * @param errorMessage its message, or {@code null}
 * @param retry true when the run failed and the task will be retried (the store records a
 *     task_retrying event); false when the worker gave the task back unfinished, for example at
 *     shutdown (the attempt is not counted and no event is recorded)
 * @param at when the run ended
 */
public record Release(
    UUID taskId,
    long fence,
    Instant runAfter,
    String errorCode,
    String errorMessage,
    boolean retry,
    Instant at) {
  /** Checks the values are present. */
  public Release {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(runAfter, "runAfter");
    Objects.requireNonNull(at, "at");
  }
}
