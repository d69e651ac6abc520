package dev.errand.store.jdbc;

import static dev.errand.store.jdbc.Db.setInstant;
import static dev.errand.store.jdbc.TaskRows.setJson;

import dev.errand.TaskError;
import dev.errand.TaskEventType;
import dev.errand.TaskStatus;
import dev.errand.spi.CancelCommand;
import dev.errand.spi.CheckpointWrite;
import dev.errand.spi.ClaimRequest;
import dev.errand.spi.Completion;
import dev.errand.spi.LeaseRef;
import dev.errand.spi.ProgressUpdate;
import dev.errand.spi.ReclaimRequest;
import dev.errand.spi.Release;
import dev.errand.spi.TaskRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The fenced writes of workers and the state changes of claims, recovery and cancels. */
final class TaskWrites {
  private final Db db;
  private final Sql sql;
  private final EventOutbox events;

  TaskWrites(Db db, Sql sql, EventOutbox events) {
    this.db = db;
    this.sql = sql;
    this.events = events;
  }

  List<TaskRecord> claim(Connection c, ClaimRequest r) throws SQLException {
    List<TaskRecord> claimed;
    if (db.dialect() == Dialect.POSTGRESQL) {
      claimed = claimInOneStatement(c, r); // with its events
    } else {
      claimed = claimInTwo(c, r);
      events.recordAll(
          c, claimed.stream().map(TaskRecord::id).toList(), TaskEventType.TASK_STARTED, r.now());
    }
    List<TaskRecord> ordered = new ArrayList<>(claimed);
    ordered.sort(TaskRecord.CLAIM_ORDER);
    return ordered;
  }

  private List<TaskRecord> claimInOneStatement(Connection c, ClaimRequest r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.claimReturning)) {
      int i = bindStart(ps, r);
      bindDue(c, ps, i, r);
      setInstant(ps, i + 4, r.now()); // the events' time, after the three of bindDue
      try (ResultSet rs = ps.executeQuery()) {
        return TaskRows.readAll(rs);
      }
    }
  }

  private List<TaskRecord> claimInTwo(Connection c, ClaimRequest r) throws SQLException {
    List<UUID> ids = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql.claimCandidates)) {
      bindDue(c, ps, 0, r);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(Db.uuid(rs, "id"));
        }
      }
    }
    List<UUID> won = compareAndSet(c, r, ids);
    if (won.isEmpty()) {
      return List.of();
    }
    try (PreparedStatement ps = c.prepareStatement(sql.selectTasksById)) {
      ps.setArray(1, db.uuidArray(c, won));
      try (ResultSet rs = ps.executeQuery()) {
        return TaskRows.readAll(rs);
      }
    }
  }

  /**
   * Takes each candidate still PENDING and due; a candidate another claimer took (or took and put
   * back with a later retry time) updates no row. Rows are locked in id order, the same in every
   * claimer.
   */
  private List<UUID> compareAndSet(Connection c, ClaimRequest r, List<UUID> candidates)
      throws SQLException {
    List<UUID> ids = candidates.stream().sorted().toList();
    int[] counts;
    try (PreparedStatement ps = c.prepareStatement(sql.claimUpdate)) {
      for (UUID id : ids) {
        int i = bindStart(ps, r);
        ps.setObject(i + 1, id);
        setInstant(ps, i + 2, r.now());
        ps.addBatch();
      }
      counts = ps.executeBatch();
    }
    List<UUID> won = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 1) {
        won.add(ids.get(i));
      }
    }
    return won;
  }

  private static int bindStart(PreparedStatement ps, ClaimRequest r) throws SQLException {
    ps.setString(1, r.workerId());
    setInstant(ps, 2, r.leaseExpiresAt());
    setInstant(ps, 3, r.now());
    setInstant(ps, 4, r.now());
    return 4;
  }

  private void bindDue(Connection c, PreparedStatement ps, int i, ClaimRequest r)
      throws SQLException {
    setInstant(ps, ++i, r.now());
    ps.setArray(++i, db.textArray(c, r.taskTypes()));
    ps.setInt(++i, r.limit());
  }

  boolean checkpoint(Connection c, CheckpointWrite w) throws SQLException {
    if (lockHeld(c, w.taskId(), w.fence()) == null) {
      return false;
    }
    try (PreparedStatement ps = c.prepareStatement(sql.upsertCheckpoint)) {
      ps.setObject(1, w.taskId());
      ps.setString(2, w.stepKey());
      ps.setObject(3, w.taskId());
      ps.setString(4, w.output());
      setInstant(ps, 5, w.at());
      ps.executeUpdate();
    }
    return true;
  }

  /** Locks the task if the lease is held: its cancel flag, or {@code null} if not held. */
  private Boolean lockHeld(Connection c, UUID taskId, long fence) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.lockHeld)) {
      ps.setObject(1, taskId);
      ps.setLong(2, fence);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getBoolean(1) : null;
      }
    }
  }

  boolean progress(Connection c, ProgressUpdate u) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.progress)) {
      ps.setInt(1, u.percentage());
      ps.setString(2, u.currentStage());
      ps.setArray(3, db.textArray(c, u.stagesCompleted()));
      setJson(ps, 4, u.outputPreview());
      setInstant(ps, 5, u.at());
      return held(ps, 6, u.taskId(), u.fence(), c, TaskEventType.TASK_PROGRESS, u.at());
    }
  }

  boolean complete(Connection c, Completion done) throws SQLException {
    TaskEventType type = TaskEventType.endedWith(done.status());
    if (sql.completeWithEvent != null) {
      try (PreparedStatement ps = c.prepareStatement(sql.completeWithEvent)) {
        bindCompletion(ps, done);
        ps.setObject(8, done.taskId());
        ps.setLong(9, done.fence());
        ps.setString(10, type.name());
        setInstant(ps, 11, done.at());
        return ps.executeUpdate() == 1; // the event row: there is one only if the lease was held
      }
    }
    try (PreparedStatement ps = c.prepareStatement(sql.complete)) {
      bindCompletion(ps, done);
      return held(ps, 8, done.taskId(), done.fence(), c, type, done.at());
    }
  }

  /**
   * Several completions, each under its own fence: one statement on PostgreSQL, a batch of updates
   * and one of events on H2. Rows are written in id order, as renewals lock them, so two writers of
   * one engine's leases never wait on each other in a cycle.
   */
  List<Boolean> completeAll(Connection c, List<Completion> completions) throws SQLException {
    List<Completion> byId =
        completions.stream().sorted(Comparator.comparing(Completion::taskId)).toList();
    Set<LeaseRef> held =
        sql.completeAll != null ? completeInOneStatement(c, byId) : completeInBatches(c, byId);
    return completions.stream()
        .map(done -> held.contains(new LeaseRef(done.taskId(), done.fence())))
        .toList();
  }

  private Set<LeaseRef> completeInOneStatement(Connection c, List<Completion> byId)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.completeAll)) {
      ps.setArray(1, db.uuidArray(c, byId.stream().map(Completion::taskId).toList()));
      ps.setArray(2, Db.column(c, "bigint", byId, Completion::fence));
      ps.setArray(3, Db.column(c, "text", byId, done -> done.status().name()));
      ps.setArray(4, Db.column(c, "text", byId, Completion::result));
      ps.setArray(5, Db.column(c, "text", byId, Completion::report));
      ps.setArray(6, Db.column(c, "text", byId, Completion::errorCode));
      ps.setArray(7, Db.column(c, "text", byId, Completion::errorMessage));
      ps.setArray(8, Db.column(c, "text", byId, done -> done.at().toString()));
      Set<LeaseRef> held = new HashSet<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          held.add(new LeaseRef(Db.uuid(rs, "id"), rs.getLong("fence")));
        }
      }
      return held;
    }
  }

  private Set<LeaseRef> completeInBatches(Connection c, List<Completion> byId) throws SQLException {
    int[] counts;
    try (PreparedStatement ps = c.prepareStatement(sql.complete)) {
      for (Completion done : byId) {
        bindCompletion(ps, done);
        ps.setObject(8, done.taskId());
        ps.setLong(9, done.fence());
        ps.addBatch();
      }
      counts = ps.executeBatch();
    }
    Set<LeaseRef> held = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(sql.insertEvent)) {
      for (int i = 0; i < counts.length; i++) {
        Completion done = byId.get(i);
        if (counts[i] == 1) {
          held.add(new LeaseRef(done.taskId(), done.fence()));
          ps.setString(1, TaskEventType.endedWith(done.status()).name());
          setInstant(ps, 2, done.at());
          ps.setObject(3, done.taskId());
          ps.addBatch();
        }
      }
      if (!held.isEmpty()) {
        ps.executeBatch();
      }
    }
    return held;
  }

  private static void bindCompletion(PreparedStatement ps, Completion done) throws SQLException {
    ps.setString(1, done.status().name());
    setJson(ps, 2, done.result());
    ps.setString(3, done.report());
    ps.setString(4, done.errorCode());
    ps.setString(5, done.errorMessage());
    setInstant(ps, 6, done.at());
    setInstant(ps, 7, done.at());
  }

  boolean release(Connection c, Release r) throws SQLException {
    Boolean cancelRequested = lockHeld(c, r.taskId(), r.fence());
    if (cancelRequested == null) {
      return false;
    }
    if (cancelRequested) {
      try (PreparedStatement ps = c.prepareStatement(sql.cancelOnRelease)) {
        setInstant(ps, 1, r.at());
        setInstant(ps, 2, r.at());
        ps.setObject(3, r.taskId());
        ps.executeUpdate();
      }
      events.record(c, r.taskId(), TaskEventType.TASK_CANCELLED, r.at());
      return true;
    }
    try (PreparedStatement ps =
        c.prepareStatement(r.retry() ? sql.releaseForRetry : sql.giveBack)) {
      setInstant(ps, 1, r.runAfter());
      setInstant(ps, 2, r.at());
      int i = 2;
      if (r.retry()) {
        ps.setString(++i, r.errorCode());
        ps.setString(++i, r.errorMessage());
      }
      return held(ps, i + 1, r.taskId(), r.fence(), c, TaskEventType.TASK_RETRYING, r.at());
    }
  }

  /**
   * Binds the lease condition at {@code index}, runs the update and records the event if the lease
   * was held.
   */
  private boolean held(
      PreparedStatement ps,
      int index,
      UUID taskId,
      long fence,
      Connection c,
      TaskEventType event,
      Instant at)
      throws SQLException {
    ps.setObject(index, taskId);
    ps.setLong(index + 1, fence);
    int rows = ps.executeUpdate();
    if (rows > 1) {
      throw new IllegalStateException(rows + " rows updated for task " + taskId);
    }
    if (rows == 1) {
      events.record(c, taskId, event, at);
    }
    return rows == 1;
  }

  int reclaimExpired(Connection c, ReclaimRequest r) throws SQLException {
    int count = 0;
    try (PreparedStatement ps = c.prepareStatement(sql.expiredLeases)) {
      setInstant(ps, 1, r.now());
      ps.setInt(2, r.limit());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          reclaim(c, rs, r);
          count++;
        }
      }
    }
    return count;
  }

  private void reclaim(Connection c, ResultSet expired, ReclaimRequest r) throws SQLException {
    UUID id = Db.uuid(expired, "id");
    Instant now = r.now();
    int losses = expired.getInt("lease_losses") + 1;
    if (expired.getBoolean("cancel_requested")) {
      end(c, id, TaskStatus.CANCELLED, null, null, now);
    } else if (losses >= r.maxLeaseLosses()) {
      String message = r.lossesExceeded(losses, expired.getString("lease_owner"));
      end(c, id, TaskStatus.FAILED, TaskError.LEASE_LOSSES_EXCEEDED, message, now);
    } else {
      try (PreparedStatement ps = c.prepareStatement(sql.reclaimToPending)) {
        setInstant(ps, 1, now);
        ps.setObject(2, id);
        ps.executeUpdate();
      }
      events.record(c, id, TaskEventType.TASK_RETRYING, now);
    }
  }

  private void end(
      Connection c, UUID id, TaskStatus status, String code, String message, Instant now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.reclaimToEnd)) {
      ps.setString(1, status.name());
      ps.setString(2, code);
      ps.setString(3, message);
      setInstant(ps, 4, now);
      setInstant(ps, 5, now);
      ps.setObject(6, id);
      ps.executeUpdate();
    }
    events.record(c, id, TaskEventType.endedWith(status), now);
  }

  /** Applies a cancel to a task; returns false if there is no such task. */
  boolean cancel(Connection c, CancelCommand command) throws SQLException {
    TaskStatus status;
    try (PreparedStatement ps = c.prepareStatement(sql.lockTask)) {
      ps.setObject(1, command.taskId());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
        status = TaskStatus.valueOf(rs.getString(1));
      }
    }
    if (status.isFinal()) {
      return true;
    }
    if (status == TaskStatus.PENDING || command.force()) {
      try (PreparedStatement ps = c.prepareStatement(sql.cancelNow)) {
        ps.setString(1, command.reason());
        setInstant(ps, 2, command.at());
        setInstant(ps, 3, command.at());
        ps.setObject(4, command.taskId());
        ps.executeUpdate();
      }
      events.record(c, command.taskId(), TaskEventType.TASK_CANCELLED, command.at());
    } else {
      try (PreparedStatement ps = c.prepareStatement(sql.flagCancel)) {
        ps.setString(1, command.reason());
        setInstant(ps, 2, command.at());
        ps.setObject(3, command.taskId());
        ps.executeUpdate();
      }
    }
    return true;
  }
}
