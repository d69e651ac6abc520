package dev.errand;

/** What happened to a task; the names on the wire are the lower-case forms such as task_started. */
public enum TaskEventType {
  /** The task was accepted and stored. */
  TASK_SUBMITTED,
  /** A worker claimed the task and started (or resumed) a run. */
  TASK_STARTED,
  /** The agent reported progress or a new output preview. */
  TASK_PROGRESS,
  /** A run failed or lost its worker and the task will run again. */
  TASK_RETRYING,
  /** The task completed. */
  TASK_COMPLETED,
  /** The task ended incomplete. */
  TASK_INCOMPLETE,
  /** The task failed. */
  TASK_FAILED,
  /** The task was cancelled. */
  TASK_CANCELLED;

  /** The lower-case name used on the wire, for example {@code task_started}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The event that reports a task reaching the given final status. */
  public static TaskEventType endedWith(TaskStatus status) {
    switch (status) {
      case COMPLETED:
        return TASK_COMPLETED;
      case INCOMPLETE:
        return TASK_INCOMPLETE;
      case FAILED:
        return TASK_FAILED;
      case CANCELLED:
        return TASK_CANCELLED;
      default:
        throw new IllegalArgumentException("not a final status: " + status);
    }
  }
}
