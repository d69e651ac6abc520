package dev.errand;

import java.util.UUID;

/**
 * A worker tried to write for a task it no longer holds: its lease expired and another worker
 * claimed the task, or the task was cancelled or timed out. The run must stop and write nothing
 * more; the engine ends it quietly.
 */
public class LeaseLostException extends ErrandException {
  private static final long serialVersionUID = 1L;

  private final UUID taskId;
  private final long fence;

  /** The lease with this fence on this task is no longer held. */
  public LeaseLostException(UUID taskId, long fence) {
    super("lease on task " + taskId + " with fence " + fence + " is no longer held");
    this.taskId = taskId;
    this.fence = fence;
  }

  /** The task. */
  public UUID taskId() {
    return taskId;
  }

  /** The fence the worker held. */
  public long fence() {
    return fence;
  }
}
