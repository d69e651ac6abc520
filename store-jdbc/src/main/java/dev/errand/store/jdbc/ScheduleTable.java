package dev.errand.store.jdbc;

import static dev.errand.store.jdbc.Db.instant;
import static dev.errand.store.jdbc.Db.setInstant;
import static dev.errand.store.jdbc.Db.uuid;

import dev.errand.StoreException;
import dev.errand.schedule.OverlapPolicy;
import dev.errand.schedule.Schedule;
import dev.errand.schedule.ScheduleStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The schedules table: insert, find (by id or by an organization's idempotency key), list, due, and
 * the compare-and-set that advances one.
 */
final class ScheduleTable {
  private static final String COLUMNS =
      "id, organization_id, owner_id, idempotency_key, task_type, priority, input, metadata, webhook_url,"
          + " timeout_ms, max_attempts, recurrence, overlap, catch_up_limit, status, next_fire_at, last_fire_at,"
          + " last_task_id, created_at, updated_at";

  private final Db db;
  private final String insert;
  private final String find;
  private final String findByKey;
  private final String list;
  private final String due;
  private final String advance;
  private final String setStatus;
  private final String hold;

  ScheduleTable(Db db, Sql sql) {
    this.db = db;
    String table = sql.prefix + "schedules";
    String json = db.dialect().json();
    insert =
        "INSERT INTO "
            + table
            + " ("
            + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, "
            + json
            + ", "
            + json
            + ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    find = "SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?";
    findByKey =
        "SELECT "
            + COLUMNS
            + " FROM "
            + table
            + " WHERE organization_id = ? AND idempotency_key = ?";
    list =
        "SELECT "
            + COLUMNS
            + " FROM "
            + table
            + " WHERE organization_id = ? AND status <> 'DELETED' ORDER BY created_at, id"
            + " OFFSET ? ROWS FETCH FIRST (?) ROWS ONLY";
    due =
        "SELECT "
            + COLUMNS
            + " FROM "
            + table
            + " WHERE status = 'ACTIVE' AND next_fire_at <= ?"
            + " AND (hold_until IS NULL OR hold_until <= ?) ORDER BY next_fire_at, id"
            + " FETCH FIRST (?) ROWS ONLY";
    advance =
        "UPDATE "
            + table
            + " SET next_fire_at = ?, last_fire_at = ?, last_task_id = ?, updated_at = ?"
            + " WHERE id = ? AND status = 'ACTIVE' AND next_fire_at = ?";
    hold = "UPDATE " + table + " SET hold_until = ? WHERE id = ?";
    setStatus =
        "UPDATE "
            + table
            + " SET status = ?, next_fire_at = ?, updated_at = ? WHERE id = ? AND status <> 'DELETED'";
  }

  /** Stores the schedule, or returns its organization's schedule with its idempotency key. */
  Schedule insert(Schedule s) {
    String key = s.idempotencyKey();
    if (key != null) {
      Optional<Schedule> earlier = findByKey(s.organizationId(), key);
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }
    try {
      insertRow(s);
      return s;
    } catch (StoreException e) { // the same key, stored at the same moment by another request
      if (key != null && JdbcTaskStore.UNIQUE_VIOLATION.equals(e.sqlState())) {
        return findByKey(s.organizationId(), key).orElseThrow(() -> e);
      }
      throw e;
    }
  }

  private void insertRow(Schedule s) {
    db.inTransaction(
        "storing schedule " + s.id(),
        c -> {
          try (PreparedStatement ps = c.prepareStatement(insert)) {
            int i = 0;
            ps.setObject(++i, s.id());
            ps.setString(++i, s.organizationId());
            ps.setString(++i, s.ownerId());
            ps.setString(++i, s.idempotencyKey());
            ps.setString(++i, s.taskType());
            ps.setInt(++i, s.priority());
            ps.setString(++i, s.input());
            ps.setString(++i, s.metadata());
            ps.setString(++i, s.webhookUrl());
            ps.setLong(++i, s.timeout().toMillis());
            ps.setInt(++i, s.maxAttempts());
            ps.setString(++i, s.recurrence());
            ps.setString(++i, s.overlap().name());
            ps.setInt(++i, s.catchUpLimit());
            ps.setString(++i, s.status().name());
            setInstant(ps, ++i, s.nextFireAt());
            setInstant(ps, ++i, s.lastFireAt());
            ps.setObject(++i, s.lastTaskId());
            setInstant(ps, ++i, s.createdAt());
            setInstant(ps, ++i, s.updatedAt());
            return ps.executeUpdate();
          }
        });
  }

  Optional<Schedule> find(UUID id) {
    return db.inTransaction(
        "reading schedule " + id,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(find)) {
            ps.setObject(1, id);
            return read(ps).stream().findFirst();
          }
        });
  }

  private Optional<Schedule> findByKey(String organizationId, String idempotencyKey) {
    return db.inTransaction(
        "reading the schedule of an idempotency key",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(findByKey)) {
            ps.setString(1, organizationId);
            ps.setString(2, idempotencyKey);
            return read(ps).stream().findFirst();
          }
        });
  }

  List<Schedule> list(String organizationId, int offset, int limit) {
    return db.inTransaction(
        "listing schedules",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(list)) {
            ps.setString(1, organizationId);
            ps.setInt(2, offset);
            ps.setInt(3, limit);
            return read(ps);
          }
        });
  }

  List<Schedule> due(Instant now, int limit) {
    return db.inTransaction(
        "reading due schedules",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(due)) {
            setInstant(ps, 1, now);
            setInstant(ps, 2, now);
            ps.setInt(3, limit);
            return read(ps);
          }
        });
  }

  boolean advance(
      UUID id, Instant expectedNext, Instant next, Instant lastFire, UUID lastTask, Instant at) {
    return db.inTransaction(
        "advancing schedule " + id,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(advance)) {
            setInstant(ps, 1, next);
            setInstant(ps, 2, lastFire);
            ps.setObject(3, lastTask);
            setInstant(ps, 4, at);
            ps.setObject(5, id);
            setInstant(ps, 6, expectedNext);
            return ps.executeUpdate() == 1;
          }
        });
  }

  void hold(UUID id, Instant until) {
    db.inTransaction(
        "holding schedule " + id,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(hold)) {
            setInstant(ps, 1, until);
            ps.setObject(2, id);
            return ps.executeUpdate();
          }
        });
  }

  Optional<Schedule> setStatus(UUID id, ScheduleStatus status, Instant next, Instant at) {
    return db.inTransaction(
        "changing schedule " + id,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(setStatus)) {
            ps.setString(1, status.name());
            setInstant(ps, 2, next);
            setInstant(ps, 3, at);
            ps.setObject(4, id);
            ps.executeUpdate();
          }
          try (PreparedStatement ps = c.prepareStatement(find)) {
            ps.setObject(1, id);
            return read(ps).stream().findFirst();
          }
        });
  }

  private static List<Schedule> read(PreparedStatement ps) throws SQLException {
    List<Schedule> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new Schedule(
                uuid(rs, "id"),
                rs.getString("organization_id"),
                rs.getString("owner_id"),
                rs.getString("idempotency_key"),
                rs.getString("task_type"),
                rs.getInt("priority"),
                rs.getString("input"),
                rs.getString("metadata"),
                rs.getString("webhook_url"),
                Duration.ofMillis(rs.getLong("timeout_ms")),
                rs.getInt("max_attempts"),
                rs.getString("recurrence"),
                OverlapPolicy.valueOf(rs.getString("overlap")),
                rs.getInt("catch_up_limit"),
                ScheduleStatus.valueOf(rs.getString("status")),
                instant(rs, "next_fire_at"),
                instant(rs, "last_fire_at"),
                uuid(rs, "last_task_id"),
                instant(rs, "created_at"),
                instant(rs, "updated_at")));
      }
    }
    return out;
  }
}
