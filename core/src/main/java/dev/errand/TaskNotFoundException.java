package dev.errand;

import java.util.UUID;

/** No task has the given id (or the caller may not see it). */
public class TaskNotFoundException extends ErrandException {
  private static final long serialVersionUID = 1L;

  private final UUID taskId;

  /** The task with this id was not found. */
  public TaskNotFoundException(UUID taskId) {
    super("task " + taskId + " not found");
    this.taskId = taskId;
  }

  /** The id that was looked up. */
  public UUID taskId() {
    return taskId;
  }
}
