package dev.errand.schedule;

import dev.errand.TaskRequest;
import java.util.Objects;

/**
 * A recurring schedule to create: the task each occurrence submits (type, input, priority,
 * metadata, webhook URL, organization, owner, timeout and attempts, from {@code template}; a
 * template with a delay, run-after, skill or model is refused; its idempotency key, if any, makes a
 * repeated request answer with the schedule it made first), when it fires, and its policies.
 *
 * @param template the task of each occurrence
 * @param recurrence when it fires, in the task document's form ({@link RecurrenceForm}): any value
 *     the engine's ObjectMapper writes as such an object
 * @param overlap what an occurrence does while the previous task runs; default SKIP
 * @param catchUpLimit after downtime, how many of the missed occurrences fire (the latest ones), 1
 *     to 1000; default 1
 */
public record ScheduleRequest(
    TaskRequest template, Object recurrence, OverlapPolicy overlap, int catchUpLimit) {
  /** Checks the values. */
  public ScheduleRequest {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(recurrence, "recurrence");
    Objects.requireNonNull(overlap, "overlap");
    if (catchUpLimit < 1 || catchUpLimit > 1000) {
      throw new IllegalArgumentException("catchUpLimit must be 1 to 1000, was " + catchUpLimit);
    }
  }

  /** A schedule with the defaults: SKIP overlapping occurrences, catch up the latest one only. */
  public static ScheduleRequest of(TaskRequest template, Object recurrence) {
    return new ScheduleRequest(template, recurrence, OverlapPolicy.SKIP, 1);
  }
}
