package dev.errand.store.jdbc;

import static dev.errand.store.jdbc.Db.instant;
import static dev.errand.store.jdbc.Db.setInstant;
import static dev.errand.store.jdbc.Db.uuid;

import dev.errand.TaskEventType;
import dev.errand.TaskStatus;
import dev.errand.spi.WebhookOutcome;
import dev.errand.webhook.WebhookDelivery;
import dev.errand.webhook.WebhookDelivery.Status;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The webhook deliveries. A cursor row says how far the numbered events have been considered; a
 * preparer locks it, records a delivery for each further event whose task has a webhook URL (one
 * INSERT … SELECT), and moves it, in one transaction, so each event gets one delivery whichever
 * node prepares it. Deliveries are taken with a compare-and-set on their due time.
 */
final class WebhookOutbox {
  private static final String COLUMNS =
      "event_seq, task_id, organization_id, url, event_type, event_at, task_status,"
          + " task_started_at, metadata, status, attempts, next_attempt_at, last_response_code,"
          + " last_error, updated_at";

  private final Db db;
  private final EventOutbox events;
  private final String lockCursor;
  private final String lastEvent;
  private final String insertDeliveries;
  private final String moveCursor;
  private final String due;
  private final String take;
  private final String outcome;
  private final String addGone;
  private final String stopGone;
  private final String ofTask;

  WebhookOutbox(Db db, Sql sql, EventOutbox events) {
    this.db = db;
    this.events = events;
    String deliveries = sql.prefix + "webhook_deliveries";
    String gone = sql.prefix + "webhook_gone_urls";
    String cursor = sql.prefix + "webhook_cursor";
    boolean pg = db.dialect() == Dialect.POSTGRESQL;
    lockCursor = "SELECT last_seq, skip_through_id FROM " + cursor + " WHERE id = 1 FOR UPDATE";
    lastEvent = "SELECT last_seq FROM " + sql.sequencer + " WHERE id = 1";
    insertDeliveries =
        "INSERT INTO "
            + deliveries
            + " ("
            + COLUMNS
            + ") SELECT e.seq, e.task_id, e.organization_id, t.webhook_url, e.type, e.at,"
            + " e.status, t.started_at, t.metadata, 'PENDING', 0, ?, NULL, NULL, ? FROM "
            + sql.events
            + " e JOIN "
            + sql.tasks
            + " t ON t.id = e.task_id WHERE e.seq > ? AND e.seq <= ? AND e.id > ? AND e.webhook"
            + " AND t.webhook_url IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
            + gone
            + " g WHERE g.organization_id = e.organization_id AND g.url = t.webhook_url)";
    moveCursor = "UPDATE " + cursor + " SET last_seq = ? WHERE id = 1";
    due =
        "SELECT "
            + COLUMNS
            + " FROM "
            + deliveries
            + " WHERE status = 'PENDING' AND next_attempt_at <= ?"
            + " ORDER BY next_attempt_at, event_seq FETCH FIRST (?) ROWS ONLY"
            + (pg ? " FOR UPDATE SKIP LOCKED" : "");
    take =
        "UPDATE "
            + deliveries
            + " SET next_attempt_at = ?, updated_at = ?"
            + " WHERE event_seq = ? AND status = 'PENDING' AND next_attempt_at = ?";
    outcome =
        "UPDATE "
            + deliveries
            + " SET status = ?, attempts = ?, next_attempt_at = ?, last_response_code = ?,"
            + " last_error = ?, updated_at = ? WHERE event_seq = ? AND status = 'PENDING'";
    addGone =
        pg
            ? "INSERT INTO "
                + gone
                + " (organization_id, url, gone_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (organization_id, url) DO NOTHING"
            : "MERGE INTO "
                + gone
                + " (organization_id, url, gone_at) KEY (organization_id, url)"
                + " VALUES (?, ?, ?)";
    stopGone =
        "UPDATE "
            + deliveries
            + " SET status = 'GONE', updated_at = ?"
            + " WHERE organization_id = ? AND url = ? AND status = 'PENDING'";
    ofTask = "SELECT " + COLUMNS + " FROM " + deliveries + " WHERE task_id = ? ORDER BY event_seq";
  }

  int prepare(Instant now, int limit) {
    events.sequence();
    return db.inTransaction("recording webhook deliveries", c -> prepare(c, now, limit));
  }

  private int prepare(Connection c, Instant now, int limit) throws SQLException {
    long from;
    long skipThroughId;
    try (PreparedStatement ps = c.prepareStatement(lockCursor);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      from = rs.getLong(1);
      skipThroughId = rs.getLong(2);
    }
    long to = Math.min(single(c, lastEvent), from + limit);
    if (to <= from) {
      return 0;
    }
    try (PreparedStatement ps = c.prepareStatement(insertDeliveries)) {
      setInstant(ps, 1, now);
      setInstant(ps, 2, now);
      ps.setLong(3, from);
      ps.setLong(4, to);
      ps.setLong(5, skipThroughId);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement(moveCursor)) {
      ps.setLong(1, to);
      ps.executeUpdate();
    }
    return (int) (to - from);
  }

  List<WebhookDelivery> claim(Instant now, Instant leaseUntil, int limit) {
    return db.inTransaction(
        "taking webhook deliveries",
        c -> {
          List<WebhookDelivery> candidates;
          try (PreparedStatement ps = c.prepareStatement(due)) {
            setInstant(ps, 1, now);
            ps.setInt(2, limit);
            candidates = read(ps);
          }
          List<WebhookDelivery> taken = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(take)) {
            for (WebhookDelivery d : candidates) {
              setInstant(ps, 1, leaseUntil);
              setInstant(ps, 2, now);
              ps.setLong(3, d.eventSeq());
              setInstant(ps, 4, d.nextAttemptAt());
              if (ps.executeUpdate() == 1) {
                taken.add(d);
              }
            }
          }
          return taken;
        });
  }

  boolean record(WebhookOutcome o) {
    return db.inTransaction(
        "recording a webhook attempt",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(outcome)) {
            ps.setString(1, o.status().name());
            ps.setInt(2, o.attempts());
            setInstant(ps, 3, o.nextAttemptAt());
            if (o.responseCode() == null) {
              ps.setNull(4, Types.INTEGER);
            } else {
              ps.setInt(4, o.responseCode());
            }
            ps.setString(5, o.error());
            setInstant(ps, 6, o.at());
            ps.setLong(7, o.eventSeq());
            return ps.executeUpdate() == 1;
          }
        });
  }

  void markGone(String organizationId, String url, Instant at) {
    db.inTransaction(
        "marking a webhook URL gone",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(addGone)) {
            ps.setString(1, organizationId);
            ps.setString(2, url);
            setInstant(ps, 3, at);
            ps.executeUpdate();
          }
          try (PreparedStatement ps = c.prepareStatement(stopGone)) {
            setInstant(ps, 1, at);
            ps.setString(2, organizationId);
            ps.setString(3, url);
            return ps.executeUpdate();
          }
        });
  }

  List<WebhookDelivery> ofTask(UUID taskId) {
    return db.inTransaction(
        "reading webhook deliveries",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(ofTask)) {
            ps.setObject(1, taskId);
            return read(ps);
          }
        });
  }

  private static long single(Connection c, String query) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(query);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<WebhookDelivery> read(PreparedStatement ps) throws SQLException {
    List<WebhookDelivery> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        int code = rs.getInt("last_response_code");
        Integer responseCode = rs.wasNull() ? null : code;
        out.add(
            new WebhookDelivery(
                rs.getLong("event_seq"),
                uuid(rs, "task_id"),
                rs.getString("organization_id"),
                rs.getString("url"),
                TaskEventType.valueOf(rs.getString("event_type")),
                instant(rs, "event_at"),
                TaskStatus.valueOf(rs.getString("task_status")),
                instant(rs, "task_started_at"),
                rs.getString("metadata"),
                Status.valueOf(rs.getString("status")),
                rs.getInt("attempts"),
                instant(rs, "next_attempt_at"),
                responseCode,
                rs.getString("last_error"),
                instant(rs, "updated_at")));
      }
    }
    return out;
  }
}
