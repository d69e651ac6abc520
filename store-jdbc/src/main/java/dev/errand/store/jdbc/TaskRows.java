package dev.errand.store.jdbc;

import static dev.errand.store.jdbc.Db.instant;
import static dev.errand.store.jdbc.Db.setInstant;
import static dev.errand.store.jdbc.Db.uuid;

import dev.errand.TaskStatus;
import dev.errand.spi.TaskRecord;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Binds task records to {@link Sql#insertTask} and reads them back from rows. */
final class TaskRows {
  private TaskRows() {}

  /** Binds the record from the first parameter on; returns the index of the last one bound. */
  static int bindInsert(Db db, Connection c, PreparedStatement ps, TaskRecord r)
      throws SQLException {
    int i = 0;
    ps.setObject(++i, r.id());
    ps.setString(++i, r.organizationId());
    ps.setString(++i, r.ownerId());
    ps.setString(++i, r.taskType());
    ps.setInt(++i, r.priority());
    ps.setString(++i, r.status().name());
    ps.setString(++i, r.input());
    ps.setString(++i, r.metadata());
    ps.setString(++i, r.webhookUrl());
    ps.setString(++i, r.idempotencyKey());
    ps.setString(++i, r.skillRef());
    ps.setString(++i, r.model());
    setInstant(ps, ++i, r.runAfter());
    ps.setLong(++i, r.timeout().toMillis());
    ps.setInt(++i, r.maxAttempts());
    ps.setInt(++i, r.attempt());
    ps.setInt(++i, r.leaseLosses());
    ps.setLong(++i, r.fence());
    ps.setString(++i, r.leaseOwner());
    setInstant(ps, ++i, r.leaseExpiresAt());
    ps.setInt(++i, r.progressPercentage());
    ps.setString(++i, r.currentStage());
    ps.setArray(++i, db.textArray(c, r.stagesCompleted()));
    setJson(ps, ++i, r.outputPreview());
    setJson(ps, ++i, r.result());
    ps.setString(++i, r.report());
    ps.setString(++i, r.errorCode());
    ps.setString(++i, r.errorMessage());
    ps.setBoolean(++i, r.cancelRequested());
    ps.setString(++i, r.cancelReason());
    setInstant(ps, ++i, r.createdAt());
    setInstant(ps, ++i, r.startedAt());
    setInstant(ps, ++i, r.updatedAt());
    setInstant(ps, ++i, r.completedAt());
    return i;
  }

  /** Sets a JSON text parameter, typed so that a null also casts. */
  static void setJson(PreparedStatement ps, int index, String json) throws SQLException {
    if (json == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, json);
    }
  }

  static TaskRecord read(ResultSet rs) throws SQLException {
    return TaskRecord.newTask(uuid(rs, "id"), rs.getString("task_type"), instant(rs, "created_at"))
        .organizationId(rs.getString("organization_id"))
        .ownerId(rs.getString("owner_id"))
        .priority(rs.getInt("priority"))
        .status(TaskStatus.valueOf(rs.getString("status")))
        .input(rs.getString("input"))
        .metadata(rs.getString("metadata"))
        .webhookUrl(rs.getString("webhook_url"))
        .idempotencyKey(rs.getString("idempotency_key"))
        .skillRef(rs.getString("skill_ref"))
        .model(rs.getString("model"))
        .runAfter(instant(rs, "run_after"))
        .timeout(Duration.ofMillis(rs.getLong("timeout_ms")))
        .maxAttempts(rs.getInt("max_attempts"))
        .attempt(rs.getInt("attempt"))
        .leaseLosses(rs.getInt("lease_losses"))
        .fence(rs.getLong("fence"))
        .lease(rs.getString("lease_owner"), instant(rs, "lease_expires_at"))
        .progressPercentage(rs.getInt("progress_percentage"))
        .currentStage(rs.getString("current_stage"))
        .stagesCompleted(strings(rs.getArray("stages_completed")))
        .outputPreview(rs.getString("output_preview"))
        .result(rs.getString("result"))
        .report(rs.getString("report"))
        .error(rs.getString("error_code"), rs.getString("error_message"))
        .cancel(rs.getBoolean("cancel_requested"), rs.getString("cancel_reason"))
        .startedAt(instant(rs, "started_at"))
        .updatedAt(instant(rs, "updated_at"))
        .completedAt(instant(rs, "completed_at"))
        .build();
  }

  static List<TaskRecord> readAll(ResultSet rs) throws SQLException {
    List<TaskRecord> out = new ArrayList<>();
    while (rs.next()) {
      out.add(read(rs));
    }
    return out;
  }

  private static List<String> strings(Array array) throws SQLException {
    if (array == null) {
      return List.of();
    }
    Object[] values = (Object[]) array.getArray();
    return Arrays.stream(values).map(String::valueOf).toList();
  }
}
