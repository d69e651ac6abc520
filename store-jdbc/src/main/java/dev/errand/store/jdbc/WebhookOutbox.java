package dev.errand.store.jdbc;

import static dev.errand.store.jdbc.Db.instant;
import static dev.errand.store.jdbc.Db.setInstant;
import static dev.errand.store.jdbc.Db.uuid;

import dev.errand.TaskEventType;
import dev.errand.TaskStatus;
import dev.errand.spi.WebhookClaim;
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
  /** Why a delivery is GONE although it was never attempted. */
  static final String GONE_BEFORE = "the URL answered 410 Gone before";

  /** How many of the earliest due deliveries a claim chooses from. */
  private static final int CANDIDATES = 1000;

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
  private final String taken;
  private final String outcome;
  private final String addGone;
  private final String stopGone;
  private final String clearGone;
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
            + " e.status, t.started_at, t.metadata, CASE WHEN g.url IS NULL THEN 'PENDING'"
            + " ELSE 'GONE' END, 0, ?, NULL, CASE WHEN g.url IS NULL THEN NULL ELSE '"
            + GONE_BEFORE
            + "' END, ? FROM "
            + sql.events
            + " e JOIN "
            + sql.tasks
            + " t ON t.id = e.task_id LEFT JOIN "
            + gone
            + " g ON g.organization_id = e.organization_id AND g.url = t.webhook_url"
            + " WHERE e.seq > ? AND e.seq <= ? AND e.id > ? AND e.webhook"
            + " AND t.webhook_url IS NOT NULL";
    moveCursor = "UPDATE " + cursor + " SET last_seq = ? WHERE id = 1";
    // the earliest due, at most perOrganization of one organization, none of those skipped
    due =
        "SELECT event_seq, next_attempt_at FROM (SELECT event_seq, next_attempt_at,"
            + " ROW_NUMBER() OVER (PARTITION BY organization_id"
            + " ORDER BY next_attempt_at, event_seq) AS place FROM (SELECT event_seq,"
            + " organization_id, next_attempt_at FROM "
            + deliveries
            + " WHERE status = 'PENDING' AND next_attempt_at <= ?"
            + " AND NOT (organization_id = ANY(?)) ORDER BY next_attempt_at, event_seq"
            + " FETCH FIRST "
            + CANDIDATES
            + " ROWS ONLY) c) w WHERE place <= ? ORDER BY next_attempt_at, event_seq"
            + " FETCH FIRST (?) ROWS ONLY";
    take =
        "UPDATE "
            + deliveries
            + " SET next_attempt_at = ?, updated_at = ?"
            + " WHERE event_seq = ? AND status = 'PENDING' AND next_attempt_at = ?";
    taken =
        "SELECT "
            + COLUMNS
            + " FROM "
            + deliveries
            + " WHERE event_seq = ANY(?) ORDER BY event_seq";
    outcome =
        "UPDATE "
            + deliveries
            + " SET status = ?, attempts = ?, next_attempt_at = ?, last_response_code = ?,"
            + " last_error = ?, updated_at = ?"
            + " WHERE event_seq = ? AND status = 'PENDING' AND next_attempt_at = ?";
    addGone =
        pg
            ? "INSERT INTO "
                + gone
                + " (organization_id, url, gone_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (organization_id, url) DO UPDATE SET gone_at = EXCLUDED.gone_at"
            : "MERGE INTO "
                + gone
                + " (organization_id, url, gone_at) KEY (organization_id, url)"
                + " VALUES (?, ?, ?)";
    stopGone =
        "UPDATE "
            + deliveries
            + " SET status = 'GONE', last_error = '"
            + GONE_BEFORE
            + "', updated_at = ?"
            + " WHERE organization_id = ? AND url = ? AND status = 'PENDING'";
    clearGone = "DELETE FROM " + gone + " WHERE organization_id = ? AND url = ?";
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
      if (!rs.next()) {
        throw new SQLException(
            "the webhook cursor row is missing; was the schema changed by hand?");
      }
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

  List<WebhookDelivery> claim(WebhookClaim claim) {
    return db.inTransaction(
        "taking webhook deliveries",
        c -> {
          List<Long> seqs = new ArrayList<>();
          try (PreparedStatement candidates = c.prepareStatement(due);
              PreparedStatement cas = c.prepareStatement(take)) {
            setInstant(candidates, 1, claim.now());
            candidates.setArray(2, db.textArray(c, claim.skipOrganizations()));
            candidates.setInt(3, claim.perOrganization());
            candidates.setInt(4, claim.limit());
            try (ResultSet rs = candidates.executeQuery()) {
              while (rs.next()) {
                long seq = rs.getLong("event_seq");
                setInstant(cas, 1, claim.leaseUntil());
                setInstant(cas, 2, claim.now());
                cas.setLong(3, seq);
                setInstant(cas, 4, instant(rs, "next_attempt_at"));
                if (cas.executeUpdate() == 1) {
                  seqs.add(seq);
                }
              }
            }
          }
          if (seqs.isEmpty()) {
            return List.of();
          }
          try (PreparedStatement ps = c.prepareStatement(taken)) {
            ps.setArray(1, c.createArrayOf("BIGINT", seqs.toArray()));
            return read(ps);
          }
        });
  }

  boolean record(WebhookOutcome o) {
    return db.inTransaction(
        "recording a webhook attempt",
        c -> {
          boolean held;
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
            setInstant(ps, 8, o.takenUntil());
            held = ps.executeUpdate() == 1;
          }
          if (held && o.status() == Status.GONE) {
            markGone(c, o.eventSeq(), o.at());
          }
          return held;
        });
  }

  /** Marks the delivery's URL gone for its organization and stops its other deliveries. */
  private void markGone(Connection c, long eventSeq, Instant at) throws SQLException {
    WebhookDelivery d;
    try (PreparedStatement ps = c.prepareStatement(taken)) {
      ps.setArray(1, c.createArrayOf("BIGINT", new Object[] {eventSeq}));
      d = read(ps).get(0);
    }
    try (PreparedStatement ps = c.prepareStatement(addGone)) {
      ps.setString(1, d.organizationId());
      ps.setString(2, d.url());
      setInstant(ps, 3, at);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement(stopGone)) {
      setInstant(ps, 1, at);
      ps.setString(2, d.organizationId());
      ps.setString(3, d.url());
      ps.executeUpdate();
    }
  }

  void clearGone(String organizationId, String url) {
    db.inTransaction(
        "clearing a gone webhook URL",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(clearGone)) {
            ps.setString(1, organizationId);
            ps.setString(2, url);
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
      if (!rs.next()) {
        throw new SQLException("no row for " + query);
      }
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
