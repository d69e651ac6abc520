package dev.errand.store.jdbc;

/**
 * Every statement the store runs, rendered once at start-up for a dialect and table prefix. Only
 * the prefix (checked to be an identifier) and fixed fragments are put into the text; every value
 * is a parameter.
 */
final class Sql {
  static final String TASK_COLUMNS =
      "id, organization_id, owner_id, task_type, priority, status, input, metadata, webhook_url,"
          + " idempotency_key, skill_ref, model, run_after, timeout_ms, max_attempts, attempt,"
          + " lease_losses, fence, lease_owner, lease_expires_at, progress_percentage, current_stage,"
          + " stages_completed, output_preview, result, report, error_code, error_message,"
          + " cancel_requested, cancel_reason, created_at, started_at, updated_at, completed_at";

  /** Holds a worker's lease: the condition of every fenced write. */
  static final String HELD = "id = ? AND status = 'RUNNING' AND fence = ?";

  final Dialect dialect;
  final String prefix;
  final String tasks;
  final String checkpoints;
  final String events;
  final String sequencer;

  final String insertTask;

  /**
   * PostgreSQL: {@link #insertTask} and its task_submitted event in one statement, the event's
   * fields taken from the inserted row; the last parameter is the event's time. A task whose
   * idempotency key is taken is not stored, without an error (which would end the transaction), and
   * then no event is either. Null on H2.
   */
  final String insertTaskWithEvent;

  /**
   * PostgreSQL: up to {@link TaskInserts#CHUNK} new tasks (as {@link TaskInserts#isNew} describes)
   * and their task_submitted events, in list order, in one statement; each parameter is an array of
   * one column, one element per task. Null on H2.
   */
  final String insertNewTasks;

  final String findTask;
  final String findByKey;
  final String insertEvent;
  final String insertEvents;
  final String claimCandidates;
  final String claimUpdate;
  final String claimReturning;
  final String selectTasksById;
  final String renew;
  final String cancelRequestedAmong;
  final String lockHeld;
  final String upsertCheckpoint;
  final String selectCheckpoints;
  final String progress;
  final String complete;

  /**
   * PostgreSQL: {@link #complete} and its event in one statement, the event's fields taken from the
   * updated row rather than read again; null on H2, which has no data-modifying WITH.
   */
  final String completeWithEvent;

  /**
   * PostgreSQL: several completions and their events in one statement. The parameters are arrays,
   * one element per completion: ids, fences, statuses, results, reports, error codes, error
   * messages and times (as text); the rows returned are the ids and fences whose lease was held.
   * Null on H2.
   */
  final String completeAll;

  final String releaseForRetry;
  final String giveBack;
  final String expiredLeases;
  final String reclaimToPending;
  final String reclaimToEnd;
  final String lockTask;
  final String cancelNow;
  final String cancelOnRelease;
  final String flagCancel;

  Sql(Dialect dialect, String prefix) {
    this.dialect = dialect;
    this.prefix = prefix;
    tasks = prefix + "tasks";
    checkpoints = prefix + "checkpoints";
    events = prefix + "events";
    sequencer = prefix + "event_sequencer";
    String json = dialect.json();

    insertTask =
        "INSERT INTO "
            + tasks
            + " ("
            + TASK_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, "
            + json
            + ", "
            + json
            + ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            + json
            + ", "
            + json
            + ", ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    insertTaskWithEvent =
        dialect == Dialect.POSTGRESQL
            ? "WITH submitted AS ("
                + insertTask
                + " ON CONFLICT (organization_id, idempotency_key)"
                + " WHERE idempotency_key IS NOT NULL DO NOTHING"
                + " RETURNING id, organization_id, status, attempt, progress_percentage,"
                + " current_stage, webhook_url IS NOT NULL AS webhook) INSERT INTO "
                + events
                + " (task_id, organization_id, type, at, status, attempt, percentage, stage, webhook)"
                + " SELECT id, organization_id, 'TASK_SUBMITTED', ?, status, attempt,"
                + " progress_percentage, current_stage, webhook FROM submitted"
            : null;
    insertNewTasks =
        dialect == Dialect.POSTGRESQL
            ? "WITH n AS (SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[],"
                + " ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
                + " ?::timestamptz[], ?::bigint[], ?::int[], ?::timestamptz[]) WITH ORDINALITY"
                + " AS n(id, organization_id, owner_id, task_type, priority, input, metadata,"
                + " webhook_url, idempotency_key, skill_ref, model, run_after, timeout_ms,"
                + " max_attempts, created_at, ord)), submitted AS (INSERT INTO "
                + tasks
                + " (id, organization_id, owner_id, task_type, priority, status, input, metadata,"
                + " webhook_url, idempotency_key, skill_ref, model, run_after, timeout_ms,"
                + " max_attempts, attempt, lease_losses, fence, progress_percentage,"
                + " stages_completed, cancel_requested, created_at, updated_at)"
                + " SELECT id, organization_id, owner_id, task_type, priority, 'PENDING',"
                + " CAST(input AS JSONB), CAST(metadata AS JSONB), webhook_url, idempotency_key,"
                + " skill_ref, model, run_after, timeout_ms, max_attempts, 0, 0, 0, 0, '{}', FALSE,"
                + " created_at, created_at FROM n ORDER BY ord RETURNING id, organization_id,"
                + " status, attempt, progress_percentage, current_stage,"
                + " webhook_url IS NOT NULL AS webhook, created_at) INSERT INTO "
                + events
                + " (task_id, organization_id, type, at, status, attempt, percentage, stage, webhook)"
                + " SELECT s.id, s.organization_id, 'TASK_SUBMITTED', s.created_at, s.status,"
                + " s.attempt, s.progress_percentage, s.current_stage, s.webhook"
                + " FROM submitted s JOIN n ON n.id = s.id ORDER BY n.ord"
            : null;
    findTask = "SELECT " + TASK_COLUMNS + " FROM " + tasks + " WHERE id = ?";
    findByKey =
        "SELECT "
            + TASK_COLUMNS
            + " FROM "
            + tasks
            + " WHERE organization_id = ? AND idempotency_key = ?";
    String eventColumns =
        "INSERT INTO "
            + events
            + " (task_id, organization_id, type, at, status, attempt, percentage, stage, webhook)"
            + " SELECT id, organization_id, ?, ?, status, attempt, progress_percentage,"
            + " current_stage, webhook_url IS NOT NULL FROM "
            + tasks;
    insertEvent = eventColumns + " WHERE id = ?";
    insertEvents = eventColumns + " WHERE id = ANY(?)";

    // H2's planner picks a wrong index for this query at scale (a full scan at a million rows),
    // so it is told which one to use; the constant status leads the ORDER BY so that H2 reads the
    // index in order and stops after the batch instead of sorting every due row.
    String claimIndex = dialect == Dialect.H2 ? " USE INDEX (" + prefix + "tasks_claim)" : "";
    String due =
        "SELECT id FROM "
            + tasks
            + claimIndex
            + " WHERE status = 'PENDING' AND run_after <= ?"
            + " AND task_type = ANY(?) ORDER BY status, priority DESC, run_after, id"
            + " FETCH FIRST (?) ROWS ONLY";
    String start =
        "UPDATE "
            + tasks
            + " SET status = 'RUNNING', lease_owner = ?, lease_expires_at = ?,"
            + " fence = fence + 1, attempt = attempt + 1, started_at = COALESCE(started_at, ?),"
            + " updated_at = ?";
    // H2 reads candidates without locks and takes each with a compare-and-set (its FOR UPDATE
    // locked every matching row before the FETCH FIRST: 173 claims/s with 20,000 due).
    claimCandidates = due;
    claimUpdate = start + " WHERE id = ? AND status = 'PENDING' AND run_after <= ?";
    // PostgreSQL: the claim and its task_started events in one statement, the events' fields
    // taken from the claimed rows; the last parameter is the events' time
    claimReturning =
        "WITH claimed AS ("
            + start
            + " WHERE id IN ("
            + due
            + " FOR UPDATE SKIP LOCKED) RETURNING "
            + TASK_COLUMNS
            + "), started AS (INSERT INTO "
            + events
            + " (task_id, organization_id, type, at, status, attempt, percentage, stage, webhook)"
            + " SELECT id, organization_id, 'TASK_STARTED', ?, status, attempt,"
            + " progress_percentage, current_stage, webhook_url IS NOT NULL FROM claimed)"
            + " SELECT * FROM claimed";
    selectTasksById = "SELECT " + TASK_COLUMNS + " FROM " + tasks + " WHERE id = ANY(?)";

    renew = "UPDATE " + tasks + " SET lease_expires_at = ? WHERE " + HELD;
    cancelRequestedAmong =
        "SELECT id FROM "
            + tasks
            + " WHERE id = ANY(?) AND status = 'RUNNING'"
            + " AND cancel_requested";
    lockHeld = "SELECT cancel_requested FROM " + tasks + " WHERE " + HELD + " FOR UPDATE";
    String nextSeq =
        "(SELECT COALESCE(MAX(seq), 0) + 1 FROM " + checkpoints + " WHERE task_id = ?)";
    upsertCheckpoint =
        dialect == Dialect.POSTGRESQL
            ? "INSERT INTO "
                + checkpoints
                + " (task_id, step_key, seq, output, at) VALUES (?, ?, "
                + nextSeq
                + ", "
                + json
                + ", ?) ON CONFLICT (task_id, step_key) DO UPDATE SET"
                + " seq = EXCLUDED.seq, output = EXCLUDED.output, at = EXCLUDED.at"
            : "MERGE INTO "
                + checkpoints
                + " (task_id, step_key, seq, output, at)"
                + " KEY (task_id, step_key) VALUES (?, ?, "
                + nextSeq
                + ", ?, ?)";
    selectCheckpoints =
        "SELECT task_id, seq, step_key, output, at FROM "
            + checkpoints
            + " WHERE task_id = ? ORDER BY seq";

    progress =
        "UPDATE "
            + tasks
            + " SET progress_percentage = ?, current_stage = ?, stages_completed = ?,"
            + " output_preview = COALESCE("
            + json
            + ", output_preview), updated_at = ? WHERE "
            + HELD;
    complete =
        "UPDATE "
            + tasks
            + " SET status = ?, result = "
            + json
            + ", report = ?, error_code = ?,"
            + " error_message = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = ?,"
            + " completed_at = ? WHERE "
            + HELD;
    completeWithEvent =
        dialect == Dialect.POSTGRESQL
            ? "WITH done AS ("
                + complete
                + " RETURNING id, organization_id, status, attempt, progress_percentage,"
                + " current_stage, webhook_url IS NOT NULL AS webhook) INSERT INTO "
                + events
                + " (task_id, organization_id, type, at, status, attempt, percentage, stage, webhook)"
                + " SELECT id, organization_id, ?, ?, status, attempt, progress_percentage,"
                + " current_stage, webhook FROM done"
            : null;
    completeAll =
        dialect == Dialect.POSTGRESQL
            ? "WITH o AS (SELECT * FROM unnest(?::uuid[], ?::bigint[], ?::text[], ?::text[],"
                + " ?::text[], ?::text[], ?::text[], ?::timestamptz[])"
                + " AS o(id, fence, status, result, report, error_code, error_message, at)),"
                + " done AS (UPDATE "
                + tasks
                + " t SET status = o.status, result = CAST(o.result AS JSONB), report = o.report,"
                + " error_code = o.error_code, error_message = o.error_message, lease_owner = NULL,"
                + " lease_expires_at = NULL, updated_at = o.at, completed_at = o.at FROM o"
                + " WHERE t.id = o.id AND t.status = 'RUNNING' AND t.fence = o.fence"
                + " RETURNING t.id, t.fence, t.organization_id, t.status, t.attempt,"
                + " t.progress_percentage, t.current_stage, t.webhook_url IS NOT NULL AS webhook,"
                + " o.at), ended AS (INSERT INTO "
                + events
                + " (task_id, organization_id, type, at, status, attempt, percentage, stage, webhook)"
                + " SELECT id, organization_id, 'TASK_' || status, at, status, attempt,"
                + " progress_percentage, current_stage, webhook FROM done)"
                + " SELECT id, fence FROM done"
            : null;
    String toPending =
        "UPDATE "
            + tasks
            + " SET status = 'PENDING', lease_owner = NULL, lease_expires_at = NULL,"
            + " run_after = ?, updated_at = ?";
    releaseForRetry = toPending + ", error_code = ?, error_message = ? WHERE " + HELD;
    giveBack = toPending + ", attempt = attempt - 1 WHERE " + HELD;

    expiredLeases =
        "SELECT id, attempt, lease_losses, cancel_requested, lease_owner FROM "
            + tasks
            + " WHERE status = 'RUNNING' AND lease_expires_at < ? ORDER BY lease_expires_at"
            + " FETCH FIRST (?) ROWS ONLY FOR UPDATE SKIP LOCKED";
    String recovered =
        " fence = fence + 1, attempt = attempt - 1, lease_losses = lease_losses + 1,"
            + " lease_owner = NULL, lease_expires_at = NULL";
    reclaimToPending =
        "UPDATE "
            + tasks
            + " SET status = 'PENDING',"
            + recovered
            + ", updated_at = ? WHERE id = ?";
    reclaimToEnd =
        "UPDATE "
            + tasks
            + " SET status = ?,"
            + recovered
            + ", error_code = COALESCE(?, error_code),"
            + " error_message = COALESCE(?, error_message), updated_at = ?, completed_at = ?"
            + " WHERE id = ?";

    lockTask = "SELECT status FROM " + tasks + " WHERE id = ? FOR UPDATE";
    cancelNow =
        "UPDATE "
            + tasks
            + " SET status = 'CANCELLED', cancel_requested = TRUE, cancel_reason = ?,"
            + " lease_owner = NULL, lease_expires_at = NULL, updated_at = ?, completed_at = ?"
            + " WHERE id = ?";
    cancelOnRelease =
        "UPDATE "
            + tasks
            + " SET status = 'CANCELLED', lease_owner = NULL, lease_expires_at = NULL,"
            + " updated_at = ?, completed_at = ? WHERE id = ?";
    flagCancel =
        "UPDATE "
            + tasks
            + " SET cancel_requested = TRUE, cancel_reason = ?, updated_at = ?"
            + " WHERE id = ?";
  }
}
