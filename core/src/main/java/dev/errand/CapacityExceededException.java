package dev.errand;

/**
 * The engine refused a submit because it already holds its maximum of pending tasks; retry later.
 * Tasks already accepted are not affected.
 */
public class CapacityExceededException extends ErrandException {
  private static final long serialVersionUID = 1L;

  private final int maxPendingTasks;

  /** The engine holds {@code maxPendingTasks} pending tasks. */
  public CapacityExceededException(int maxPendingTasks) {
    super(
        "the engine already holds its maximum of "
            + maxPendingTasks
            + " pending tasks; retry later");
    this.maxPendingTasks = maxPendingTasks;
  }

  /** The configured maximum. */
  public int maxPendingTasks() {
    return maxPendingTasks;
  }
}
