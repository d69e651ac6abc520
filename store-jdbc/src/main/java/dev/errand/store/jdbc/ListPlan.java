package dev.errand.store.jdbc;

import dev.errand.SortOrder;
import dev.errand.TaskQuery;
import dev.errand.TaskSort;
import java.util.ArrayList;
import java.util.List;

/**
 * How a task list is read so that its first page costs the same at a million rows as at a thousand:
 * when an index matches the filters and the sort, the columns the filters fix are put first in the
 * ORDER BY (no change to the order, since they are constant) so the database reads the page
 * straight from the index and stops after it. H2 is also told the index: its planner otherwise
 * picks another index on status and sorts every matching row (45 s for a page of 20 at a million
 * rows, against 0.4 ms index-sorted).
 *
 * @param index the index name without prefix, or {@code null} when none matches
 * @param orderBy the ORDER BY clause, starting with a space
 */
record ListPlan(String index, String orderBy) {

  static ListPlan of(TaskQuery q) {
    boolean oneStatus = q.statuses().size() == 1;
    List<String> leading = new ArrayList<>();
    String index = null;
    if (q.sort() == TaskSort.CREATED_AT && q.organizationId() != null) {
      index = "tasks_org_created";
      leading.add("organization_id");
    } else if (q.sort() == TaskSort.CREATED_AT && oneStatus && q.taskType() == null) {
      index = "tasks_status_created";
      leading.add("status");
    } else if (q.sort() == TaskSort.COMPLETED_AT && oneStatus && q.taskType() != null) {
      index = "tasks_type_status_completed";
      leading.add("task_type");
      leading.add("status");
    }
    return new ListPlan(index, orderBy(q, leading));
  }

  private static String orderBy(TaskQuery q, List<String> leading) {
    String dir = q.order() == SortOrder.ASC ? " ASC" : " DESC";
    List<String> columns = new ArrayList<>();
    leading.forEach(c -> columns.add(c + dir));
    columns.add(
        switch (q.sort()) {
          case CREATED_AT -> "created_at" + dir;
          case UPDATED_AT -> "updated_at" + dir;
          case PRIORITY -> "priority" + dir;
          case COMPLETED_AT -> "completed_at" + dir + " NULLS LAST";
        });
    columns.add("id" + dir);
    return " ORDER BY " + String.join(", ", columns);
  }

  /** The FROM target: the table, with the index hint on H2. */
  String from(Dialect dialect, String prefix) {
    String table = prefix + "tasks";
    return index != null && dialect == Dialect.H2
        ? table + " USE INDEX (" + prefix + index + ")"
        : table;
  }
}
