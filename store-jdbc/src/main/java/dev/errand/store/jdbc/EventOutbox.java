package dev.errand.store.jdbc;

import static dev.errand.store.jdbc.Db.instant;
import static dev.errand.store.jdbc.Db.setInstant;
import static dev.errand.store.jdbc.Db.uuid;

import dev.errand.TaskEvent;
import dev.errand.TaskEventType;
import dev.errand.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The event outbox. Writers add events in the transaction of the change they report, unnumbered.
 * Before events are read, the sequencer numbers the committed unnumbered ones in insertion order,
 * one sequencer at a time (a row lock), so sequence numbers follow commit order and a reader that
 * resumes after sequence n never misses an event that committed late.
 */
final class EventOutbox {
  private static final int SEQUENCE_BATCH = 1000;

  private final Db db;
  private final Sql sql;
  private final String pending;
  private final String lockSequencer;
  private final String unnumbered;
  private final String number;
  private final String advance;
  private final String after;

  EventOutbox(Db db, Sql sql) {
    this.db = db;
    this.sql = sql;
    this.pending = "SELECT id FROM " + sql.events + " WHERE seq IS NULL FETCH FIRST 1 ROW ONLY";
    this.lockSequencer = "SELECT last_seq FROM " + sql.sequencer + " WHERE id = 1 FOR UPDATE";
    this.unnumbered =
        "SELECT id FROM "
            + sql.events
            + " WHERE seq IS NULL ORDER BY id FETCH FIRST "
            + SEQUENCE_BATCH
            + " ROWS ONLY";
    this.number = "UPDATE " + sql.events + " SET seq = ? WHERE id = ?";
    this.advance = "UPDATE " + sql.sequencer + " SET last_seq = ? WHERE id = 1";
    this.after =
        "SELECT seq, task_id, organization_id, type, at, status, attempt, percentage, stage FROM "
            + sql.events
            + " WHERE seq > ? ORDER BY seq FETCH FIRST (?) ROWS ONLY";
  }

  /** Records one task's event, with its state as of this transaction. */
  void record(Connection c, UUID taskId, TaskEventType type, Instant at) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.insertEvent)) {
      ps.setString(1, type.name());
      setInstant(ps, 2, at);
      ps.setObject(3, taskId);
      ps.executeUpdate();
    }
  }

  /** Records the same event for several tasks. */
  void recordAll(Connection c, List<UUID> taskIds, TaskEventType type, Instant at)
      throws SQLException {
    if (taskIds.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql.insertEvents)) {
      ps.setString(1, type.name());
      setInstant(ps, 2, at);
      ps.setArray(3, db.uuidArray(c, taskIds));
      ps.executeUpdate();
    }
  }

  List<TaskEvent> after(long afterSeq, int limit) {
    sequence();
    return db.inTransaction(
        "reading events",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(after)) {
            ps.setLong(1, afterSeq);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
              List<TaskEvent> out = new ArrayList<>();
              while (rs.next()) {
                out.add(read(rs));
              }
              return out;
            }
          }
        });
  }

  long lastSeq() {
    sequence();
    return db.inTransaction(
        "reading the last event number",
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT last_seq FROM " + sql.sequencer + " WHERE id = 1");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /** Numbers every committed unnumbered event. */
  void sequence() {
    boolean more = true;
    while (more) {
      more = db.inTransaction("numbering events", this::sequenceBatch);
    }
  }

  /** Numbers one batch; returns whether a full batch was numbered. */
  private boolean sequenceBatch(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(pending);
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return false;
      }
    }
    long last;
    try (PreparedStatement ps = c.prepareStatement(lockSequencer);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      last = rs.getLong(1);
    }
    List<Long> ids = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(unnumbered);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    if (ids.isEmpty()) {
      return false;
    }
    try (PreparedStatement ps = c.prepareStatement(number)) {
      for (long id : ids) {
        ps.setLong(1, ++last);
        ps.setLong(2, id);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement(advance)) {
      ps.setLong(1, last);
      ps.executeUpdate();
    }
    return ids.size() == SEQUENCE_BATCH;
  }

  private static TaskEvent read(ResultSet rs) throws SQLException {
    return new TaskEvent(
        rs.getLong("seq"),
        uuid(rs, "task_id"),
        rs.getString("organization_id"),
        TaskEventType.valueOf(rs.getString("type")),
        instant(rs, "at"),
        TaskStatus.valueOf(rs.getString("status")),
        rs.getInt("attempt"),
        rs.getInt("percentage"),
        rs.getString("stage"));
  }
}
