package dev.errand;

import java.util.UUID;

/**
 * Thrown into an agent at its next step after a graceful cancel was requested. An agent lets it
 * propagate; the engine then ends the task {@link TaskStatus#CANCELLED} and keeps its partial
 * output.
 */
public class TaskCancelledException extends ErrandException {
  private static final long serialVersionUID = 1L;

  private final UUID taskId;

  /** The task was cancelled. */
  public TaskCancelledException(UUID taskId) {
    super("task " + taskId + " was cancelled");
    this.taskId = taskId;
  }

  /** The task. */
  public UUID taskId() {
    return taskId;
  }
}
