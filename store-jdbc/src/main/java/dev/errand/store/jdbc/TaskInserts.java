package dev.errand.store.jdbc;

import dev.errand.StoreException;
import dev.errand.TaskEventType;
import dev.errand.TaskStatus;
import dev.errand.spi.InsertResult;
import dev.errand.spi.TaskRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** New tasks and their task_submitted events, one at a time or many in one transaction. */
final class TaskInserts {
  /** The most tasks one statement of {@link Sql#insertNewTasks} stores. */
  static final int CHUNK = 1000;

  private final Db db;
  private final Sql sql;
  private final TaskQueries queries;
  private final EventOutbox events;

  TaskInserts(Db db, Sql sql, TaskQueries queries, EventOutbox events) {
    this.db = db;
    this.sql = sql;
    this.queries = queries;
    this.events = events;
  }

  /** The task in a transaction of its own, or the one its idempotency key already names. */
  InsertResult store(TaskRecord task) {
    if (task.idempotencyKey() != null) {
      Optional<TaskRecord> existing = byKey(task);
      if (existing.isPresent()) {
        return new InsertResult(existing.get(), false);
      }
    }
    if (db.inTransaction("inserting task " + task.id(), c -> insert(c, task))) {
      return new InsertResult(task, true);
    }
    TaskRecord earlier =
        byKey(task)
            .orElseThrow(
                () ->
                    new StoreException(
                        "idempotency key '"
                            + task.idempotencyKey()
                            + "' is taken, but its task could not be read",
                        null));
    return new InsertResult(earlier, false);
  }

  private Optional<TaskRecord> byKey(TaskRecord task) {
    return db.inTransaction(
        "finding idempotency key",
        c -> queries.findByKey(c, task.organizationId(), task.idempotencyKey()));
  }

  /** {@link #insertInCallers}, its failures reported as {@link StoreException}. */
  InsertResult storeInCallers(Connection transaction, TaskRecord task) {
    try {
      return insertInCallers(transaction, task);
    } catch (SQLException e) {
      throw new StoreException(
          "inserting task " + task.id() + " in the caller's transaction failed: " + e.getMessage(),
          e.getSQLState(),
          e);
    }
  }

  /**
   * The tasks in one transaction. If another submit takes one of their keys meanwhile, the
   * transaction is tried once more, and then finds that task.
   */
  List<InsertResult> storeAll(List<TaskRecord> tasks) {
    if (tasks.isEmpty()) {
      return List.of();
    }
    String what = "inserting " + tasks.size() + " tasks";
    try {
      return db.inTransaction(what, c -> insertAll(c, tasks));
    } catch (StoreException e) {
      if (!JdbcTaskStore.UNIQUE_VIOLATION.equals(e.sqlState())
          || tasks.stream().allMatch(t -> t.idempotencyKey() == null)) {
        throw e;
      }
      return db.inTransaction(what, c -> insertAll(c, tasks));
    }
  }

  /**
   * The task's row and its task_submitted event: one statement on PostgreSQL, two on H2. Returns
   * false, having stored nothing, if the task's idempotency key is taken; that ends no transaction
   * (H2 undoes only the failed statement).
   */
  boolean insert(Connection c, TaskRecord task) throws SQLException {
    if (sql.insertTaskWithEvent != null) {
      try (PreparedStatement ps = c.prepareStatement(sql.insertTaskWithEvent)) {
        int last = TaskRows.bindInsert(db, c, ps, task);
        Db.setInstant(ps, last + 1, task.createdAt());
        return ps.executeUpdate() == 1; // the event: there is one only if the task was stored
      }
    }
    try (PreparedStatement ps = c.prepareStatement(sql.insertTask)) {
      TaskRows.bindInsert(db, c, ps, task);
      ps.executeUpdate();
    } catch (SQLException e) {
      if (task.idempotencyKey() != null && JdbcTaskStore.UNIQUE_VIOLATION.equals(e.getSQLState())) {
        return false;
      }
      throw e;
    }
    events.record(c, task.id(), TaskEventType.TASK_SUBMITTED, task.createdAt());
    return true;
  }

  /**
   * The task, stored in the caller's transaction unless its key is taken: then the task that has
   * it.
   */
  InsertResult insertInCallers(Connection c, TaskRecord task) throws SQLException {
    if (c.getAutoCommit()) {
      throw new IllegalStateException(
          "the connection is in auto-commit mode; a task submitted in the caller's transaction"
              + " needs one (setAutoCommit(false)), which the caller then commits");
    }
    if (task.idempotencyKey() == null) {
      insert(c, task);
      return new InsertResult(task, true);
    }
    Optional<TaskRecord> earlier =
        queries.findByKey(c, task.organizationId(), task.idempotencyKey());
    if (earlier.isEmpty()) {
      if (insert(c, task)) {
        return new InsertResult(task, true);
      }
      earlier = queries.findByKey(c, task.organizationId(), task.idempotencyKey());
    }
    if (earlier.isEmpty()) {
      throw new StoreException(
          "idempotency key '"
              + task.idempotencyKey()
              + "' is taken by a task this transaction cannot see (stored after its snapshot was"
              + " taken, under REPEATABLE READ or SERIALIZABLE); retry the transaction",
          "40001",
          null);
    }
    return new InsertResult(earlier.get(), false);
  }

  /**
   * Stores the tasks whose idempotency key is new, in list order, and answers the others with the
   * task their key already names (stored earlier, or earlier in the list).
   */
  List<InsertResult> insertAll(Connection c, List<TaskRecord> tasks) throws SQLException {
    List<InsertResult> results = new ArrayList<>(tasks.size());
    List<TaskRecord> fresh = new ArrayList<>(tasks.size());
    Map<List<String>, TaskRecord> byKey = new HashMap<>();
    for (TaskRecord task : tasks) {
      TaskRecord earlier = task.idempotencyKey() == null ? null : earlier(c, task, byKey);
      if (earlier != null) {
        results.add(new InsertResult(earlier, false));
      } else {
        fresh.add(task);
        results.add(new InsertResult(task, true));
      }
    }
    if (sql.insertNewTasks != null && fresh.stream().allMatch(TaskInserts::isNew)) {
      for (int from = 0; from < fresh.size(); from += CHUNK) {
        insertNew(c, fresh.subList(from, Math.min(fresh.size(), from + CHUNK)));
      }
    } else {
      insertEach(c, fresh);
    }
    return results;
  }

  /**
   * The task stored with the same key earlier, in the store or in this list; remembers this one.
   */
  private TaskRecord earlier(Connection c, TaskRecord task, Map<List<String>, TaskRecord> byKey)
      throws SQLException {
    List<String> key = List.of(task.organizationId(), task.idempotencyKey());
    TaskRecord earlier = byKey.get(key);
    if (earlier == null) {
      Optional<TaskRecord> stored = queries.findByKey(c, key.get(0), key.get(1));
      earlier = stored.orElse(null);
      byKey.put(key, stored.orElse(task));
    }
    return earlier;
  }

  private void insertEach(Connection c, List<TaskRecord> tasks) throws SQLException {
    if (sql.insertTaskWithEvent != null) {
      for (TaskRecord task : tasks) {
        insert(c, task);
      }
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql.insertTask)) {
      for (TaskRecord task : tasks) {
        TaskRows.bindInsert(db, c, ps, task);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement(sql.insertEvent)) {
      for (TaskRecord task : tasks) {
        ps.setString(1, TaskEventType.TASK_SUBMITTED.name());
        Db.setInstant(ps, 2, task.createdAt());
        ps.setObject(3, task.id());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** PostgreSQL: new tasks and their events in one statement, each column bound as one array. */
  private void insertNew(Connection c, List<TaskRecord> tasks) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.insertNewTasks)) {
      int i = 0;
      ps.setArray(++i, db.uuidArray(c, tasks.stream().map(TaskRecord::id).toList()));
      ps.setArray(++i, Db.column(c, "text", tasks, TaskRecord::organizationId));
      ps.setArray(++i, Db.column(c, "text", tasks, TaskRecord::ownerId));
      ps.setArray(++i, Db.column(c, "text", tasks, TaskRecord::taskType));
      ps.setArray(++i, Db.column(c, "int4", tasks, TaskRecord::priority));
      ps.setArray(++i, Db.column(c, "text", tasks, TaskRecord::input));
      ps.setArray(++i, Db.column(c, "text", tasks, TaskRecord::metadata));
      ps.setArray(++i, Db.column(c, "text", tasks, TaskRecord::webhookUrl));
      ps.setArray(++i, Db.column(c, "text", tasks, TaskRecord::idempotencyKey));
      ps.setArray(++i, Db.column(c, "text", tasks, TaskRecord::skillRef));
      ps.setArray(++i, Db.column(c, "text", tasks, TaskRecord::model));
      ps.setArray(++i, Db.column(c, "text", tasks, t -> t.runAfter().toString()));
      ps.setArray(++i, Db.column(c, "int8", tasks, t -> t.timeout().toMillis()));
      ps.setArray(++i, Db.column(c, "int4", tasks, TaskRecord::maxAttempts));
      ps.setArray(++i, Db.column(c, "text", tasks, t -> t.createdAt().toString()));
      ps.executeUpdate();
    }
  }

  /**
   * Whether the record is a task as submitted, every column {@link Sql#insertNewTasks} does not
   * bind at its first value.
   */
  static boolean isNew(TaskRecord t) {
    return t.status() == TaskStatus.PENDING
        && t.attempt() == 0
        && t.leaseLosses() == 0
        && t.fence() == 0
        && t.leaseOwner() == null
        && t.leaseExpiresAt() == null
        && t.progressPercentage() == 0
        && t.currentStage() == null
        && t.stagesCompleted().isEmpty()
        && t.outputPreview() == null
        && t.result() == null
        && t.report() == null
        && t.errorCode() == null
        && t.errorMessage() == null
        && !t.cancelRequested()
        && t.cancelReason() == null
        && t.startedAt() == null
        && t.completedAt() == null
        && t.updatedAt().equals(t.createdAt());
  }
}
