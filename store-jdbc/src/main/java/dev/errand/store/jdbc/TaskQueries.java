package dev.errand.store.jdbc;

import dev.errand.TaskQuery;
import dev.errand.TaskStatus;
import dev.errand.spi.Checkpoint;
import dev.errand.spi.StoredPage;
import dev.errand.spi.TaskRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Reads of tasks and checkpoints. List filters become parameters; the order comes from enums. */
final class TaskQueries {
  private final Sql sql;

  TaskQueries(Sql sql) {
    this.sql = sql;
  }

  Optional<TaskRecord> find(Connection c, UUID id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.findTask)) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(TaskRows.read(rs)) : Optional.empty();
      }
    }
  }

  Optional<TaskRecord> findByKey(Connection c, String organizationId, String key)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.findByKey)) {
      ps.setString(1, organizationId);
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(TaskRows.read(rs)) : Optional.empty();
      }
    }
  }

  /**
   * One page and the total count. The count is O(matching rows), so it is skipped when the first
   * page already holds every match.
   */
  StoredPage list(Connection c, TaskQuery q) throws SQLException {
    List<Object> params = new ArrayList<>();
    String where = where(q, params);
    ListPlan plan = ListPlan.of(q);
    String page =
        "SELECT "
            + Sql.TASK_COLUMNS
            + " FROM "
            + plan.from(sql.dialect, sql.prefix)
            + where
            + plan.orderBy()
            + " OFFSET (?) ROWS FETCH NEXT (?) ROWS ONLY";
    List<TaskRecord> tasks;
    try (PreparedStatement ps = c.prepareStatement(page)) {
      bind(ps, params);
      ps.setInt(params.size() + 1, q.offset());
      ps.setInt(params.size() + 2, q.limit());
      try (ResultSet rs = ps.executeQuery()) {
        tasks = TaskRows.readAll(rs);
      }
    }
    if (q.offset() == 0 && tasks.size() < q.limit()) {
      return new StoredPage(tasks, tasks.size());
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + sql.tasks + where)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new StoredPage(tasks, rs.getLong(1));
      }
    }
  }

  private static String where(TaskQuery q, List<Object> params) {
    List<String> conditions = new ArrayList<>();
    if (!q.statuses().isEmpty()) {
      conditions.add(statusCondition(q.statuses()));
    }
    if (q.taskType() != null) {
      conditions.add("task_type = ?");
      params.add(q.taskType());
    }
    if (q.organizationId() != null) {
      conditions.add("organization_id = ?");
      params.add(q.organizationId());
    }
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
  }

  /**
   * The status filter with the enum's names written into the text: with them as literals the
   * planner sees how selective the filter is even in a cached generic plan (with a parameter,
   * PostgreSQL's generic plan scanned the whole table at a million rows), and a single status can
   * be read in order from the (status, created_at) index. Only enum names are written, never input.
   */
  private static String statusCondition(Set<TaskStatus> statuses) {
    List<String> names = statuses.stream().map(s -> "'" + s.name() + "'").sorted().toList();
    return names.size() == 1
        ? "status = " + names.get(0)
        : "status IN (" + String.join(", ", names) + ")";
  }

  private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      ps.setObject(i + 1, params.get(i));
    }
  }

  List<Checkpoint> checkpoints(Connection c, UUID taskId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.selectCheckpoints)) {
      ps.setObject(1, taskId);
      try (ResultSet rs = ps.executeQuery()) {
        List<Checkpoint> out = new ArrayList<>();
        while (rs.next()) {
          out.add(
              new Checkpoint(
                  Db.uuid(rs, "task_id"),
                  rs.getInt("seq"),
                  rs.getString("step_key"),
                  rs.getString("output"),
                  Db.instant(rs, "at")));
        }
        return out;
      }
    }
  }
}
