package dev.errand.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.Task;
import dev.errand.TaskPage;
import java.time.Instant;
import java.util.List;

/** The list endpoint's response: a page of task summaries and where it is in the whole. */
final class ListViews {
  private ListViews() {}

  record Page(List<Summary> tasks, Pagination pagination) {}

  record Pagination(long totalCount, int offset, int limit, boolean hasNext) {}

  record Summary(
      String taskId,
      String status,
      String taskType,
      int priority,
      int progressPercentage,
      Instant createdAt,
      Instant completedAt,
      Long durationMinutes,
      JsonNode metadata) {}

  static Page of(TaskPage page) {
    return new Page(
        page.tasks().stream().map(ListViews::summary).toList(),
        new Pagination(page.totalCount(), page.offset(), page.limit(), page.hasNext()));
  }

  private static Summary summary(Task t) {
    return new Summary(
        TaskIds.format(t.id()),
        TaskViews.status(t.status()),
        t.taskType(),
        t.priority(),
        TaskViews.percentage(t),
        t.createdAt(),
        t.completedAt(),
        TaskViews.durationMinutes(t),
        t.metadata());
  }
}
