package dev.errand;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life cycle of a task. {@link #COMPLETED}, {@link #INCOMPLETE}, {@link #FAILED} and {@link
 * #CANCELLED} are final: a task in one of them never changes status again.
 */
public enum TaskStatus {
  /** Stored and waiting for a worker, possibly until its run-after instant or a retry delay. */
  PENDING,
  /** Held by a worker under a lease; the agent is running or resuming. */
  RUNNING,
  /** The agent finished its work. */
  COMPLETED,
  /** The agent stopped having done part of the work; its report says what remains. */
  INCOMPLETE,
  /** The task errored after its retries, failed without retry, or ran past its timeout. */
  FAILED,
  /** The task was cancelled before it finished; partial output is kept. */
  CANCELLED;

  /**
   * The name used on the wire: lower case, with RUNNING called {@code processing} as in the task
   * API document.
   */
  public String wireName() {
    return this == RUNNING ? "processing" : name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether this status is final. */
  public boolean isFinal() {
    return this != PENDING && this != RUNNING;
  }

  /** The statuses a task in this status may move to next; empty for a final status. */
  public Set<TaskStatus> next() {
    switch (this) {
      case PENDING:
        return EnumSet.of(RUNNING, CANCELLED);
      case RUNNING:
        return EnumSet.of(PENDING, COMPLETED, INCOMPLETE, FAILED, CANCELLED);
      default:
        return EnumSet.noneOf(TaskStatus.class);
    }
  }

  /** Whether the transition from this status to {@code target} is allowed. */
  public boolean canMoveTo(TaskStatus target) {
    return next().contains(target);
  }
}
