package dev.errand;

import java.util.List;
import java.util.Objects;

/**
 * One page of a task list.
 *
 * @param tasks the tasks on this page, in the query's order
 * @param totalCount how many tasks match the query's filters across all pages
 * @param offset the query's offset
 * @param limit the query's limit
 */
public record TaskPage(List<Task> tasks, long totalCount, int offset, int limit) {
  /** Copies the list. */
  public TaskPage {
    tasks = List.copyOf(Objects.requireNonNull(tasks, "tasks"));
  }

  /** Whether tasks follow this page. */
  public boolean hasNext() {
    return offset + tasks.size() < totalCount;
  }
}
