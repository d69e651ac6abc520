package dev.errand;

/** The fields a task list can be sorted by; ties are broken by task id in the same direction. */
public enum TaskSort {
  /** When the task was accepted. */
  CREATED_AT,
  /** When the task last changed. */
  UPDATED_AT,
  /** The task's priority. */
  PRIORITY,
  /** When the task reached its final status; tasks not yet final sort last. */
  COMPLETED_AT
}
