package dev.errand.spi;

import java.util.List;

/**
 * One page of a store query.
 *
 * @param tasks the tasks on the page, in order
 * @param totalCount how many tasks match the filters in all
 */
public record StoredPage(List<TaskRecord> tasks, long totalCount) {
  /** Copies the list. */
  public StoredPage {
    tasks = List.copyOf(tasks);
  }
}
