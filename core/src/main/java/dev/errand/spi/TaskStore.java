package dev.errand.spi;

import dev.errand.TaskEvent;
import dev.errand.TaskQuery;
import dev.errand.schedule.Schedule;
import dev.errand.schedule.ScheduleStatus;
import dev.errand.webhook.WebhookDelivery;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where tasks, their checkpoints and their events are kept. Implementations are thread-safe and may
 * be shared by several engines, in one process or (for a database store) on several nodes.
 *
 * <p>Every method is atomic. Every change of a task's status, and every progress report, records
 * the {@link TaskEvent} that reports it in the same atomic step (an outbox), with a store-wide
 * increasing sequence number. Numbers follow commit order: once a reader has seen event n, no event
 * numbered below n appears later, so reading on from the last number seen loses nothing. A store
 * never reads a clock: every instant it stores is a parameter.
 *
 * <p>Fencing: a task is inserted with fence 0, and only {@link #claim} and {@link #reclaimExpired}
 * change it, each by adding one; so a claimed task with fence 1 has never run before and has no
 * checkpoints, which saves the engine a read at the start of most runs. Every write a worker makes
 * ({@link #checkpoint}, {@link #progress}, {@link #complete}, {@link #release}) applies only while
 * the task is RUNNING with the given fence, and otherwise changes nothing and returns {@code
 * false}: the lease was lost. The lease's expiry is not checked: an expired lease that no one has
 * recovered yet is still held. Losing a race is a return value, never an exception.
 *
 * <p>Failures of the store itself are reported as {@link dev.errand.StoreException}.
 */
public interface TaskStore extends AutoCloseable {
  /**
   * Stores a new PENDING task and records task_submitted. If the task has an idempotency key and
   * its organization already has a task with that key, nothing is stored and that task is returned.
   *
   * @param task a PENDING task with attempt 0 and fence 0
   * @return the stored task and whether it was created
   */
  InsertResult insert(TaskRecord task);

  /**
   * Stores a new task as {@link #insert} does, in the caller's own transaction on {@code
   * transaction}, so that it exists if and only if the caller commits. The store never commits,
   * rolls back, closes or reconfigures the connection, and a used idempotency key does not abort
   * the caller's transaction. The default throws: only a store in the caller's database can.
   *
   * @param transaction a connection to the store's database, in a transaction (auto-commit off)
   * @throws UnsupportedOperationException if the store cannot join the caller's transaction
   * @throws IllegalStateException if the connection is in auto-commit mode
   */
  default InsertResult insert(Connection transaction, TaskRecord task) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName()
            + " cannot store a task in the caller's transaction; that takes a store in the"
            + " caller's database, such as the JDBC store");
  }

  /**
   * Stores several new tasks, each as {@link #insert} would, their task_submitted events recorded
   * in the order of the list. A key used twice in the list stores the first of the two tasks and
   * gives it for both. A store that can do so stores them all in one atomic step (the JDBC store
   * does); the default inserts them one at a time, so a failure of the store may leave some stored.
   *
   * @param tasks PENDING tasks with attempt 0 and fence 0
   * @return for each task, in order, the stored task and whether it was created
   */
  default List<InsertResult> insertAll(List<TaskRecord> tasks) {
    List<InsertResult> results = new ArrayList<>(tasks.size());
    for (TaskRecord task : tasks) {
      results.add(insert(task));
    }
    return results;
  }

  /** The task with this id, if any. */
  Optional<TaskRecord> find(UUID id);

  /**
   * One page of the tasks matching the query's filters, in its order, ties broken by id, with the
   * total count of matches.
   */
  StoredPage list(TaskQuery query);

  /**
   * Claims up to {@code limit} due PENDING tasks of the given types in {@link
   * TaskRecord#CLAIM_ORDER} (highest priority first, then earliest run-after, then id), returned in
   * that order. Each becomes RUNNING under a lease owned by the worker, with fence and attempt
   * incremented and started-at set on its first run; task_started is recorded for each. Two
   * concurrent claims never return the same task.
   *
   * @return the claimed tasks as stored after the claim, possibly none
   */
  List<TaskRecord> claim(ClaimRequest request);

  /**
   * Extends the leases that are still held (task RUNNING with the same fence) to the new expiry.
   *
   * @return the leases no longer held, and the held ones whose task has a cancel requested, each as
   *     the {@link LeaseRef} given
   */
  RenewResult renew(RenewRequest request);

  /**
   * Stores a completed step's output under the run's fence. A second write of the same step key
   * replaces the first and moves it to the end of the order.
   *
   * @return false if the lease is no longer held; nothing was stored
   */
  boolean checkpoint(CheckpointWrite write);

  /** The task's stored step outputs in the order they were stored; empty for an unknown task. */
  List<Checkpoint> checkpoints(UUID taskId);

  /**
   * Stores progress (and a new preview, when given) under the run's fence and records
   * task_progress.
   *
   * @return false if the lease is no longer held; nothing was stored
   */
  boolean progress(ProgressUpdate update);

  /**
   * Ends the task in a final status under the run's fence, clears the lease, keeps progress and
   * preview, and records the event of that status.
   *
   * @return false if the lease is no longer held; nothing was stored
   */
  boolean complete(Completion completion);

  /**
   * Ends several tasks, each as {@link #complete} would: under its own fence, with its own event. A
   * store may write them together, in one atomic step; then if that step fails, none is stored. The
   * default completes them one at a time, in order.
   *
   * @param completions at most one per lease
   * @return for each completion, in order, whether its lease was held (false: nothing was stored
   *     for it)
   */
  default List<Boolean> completeAll(List<Completion> completions) {
    List<Boolean> held = new ArrayList<>(completions.size());
    for (Completion completion : completions) {
      held.add(complete(completion));
    }
    return held;
  }

  /**
   * Returns the task to PENDING under the run's fence, due at {@code runAfter}, with the lease
   * cleared, and records task_retrying. A retry keeps the attempt count and stores the error; a
   * give-back (retry false) subtracts the attempt. If a cancel was requested meanwhile, the task
   * becomes CANCELLED instead and task_cancelled is recorded.
   *
   * @return false if the lease is no longer held; nothing was stored
   */
  boolean release(Release release);

  /**
   * Recovers up to {@code limit} RUNNING tasks whose lease expired before {@code now}: each gets a
   * new fence (so the old worker's writes fail) and one more lease loss, and becomes CANCELLED if a
   * cancel was requested (task_cancelled), FAILED with code LEASE_LOSSES_EXCEEDED if its lease
   * losses reach the request's {@code maxLeaseLosses} (task_failed), and otherwise PENDING with its
   * run-after kept (it was due already, so it is claimed before work that came due after it) and
   * the run's attempt given back, since a lost lease is not the agent's failure (task_retrying). A
   * task locked by another transaction is passed over, not waited for.
   *
   * @return how many tasks were recovered
   */
  int reclaimExpired(ReclaimRequest request);

  /**
   * Cancels a task. A PENDING task, or a RUNNING one with {@code force}, becomes CANCELLED at once
   * with its lease cleared and task_cancelled recorded; its fence is not changed, since the status
   * alone refuses the old run's writes. A RUNNING one without force gets its cancel flag set, for
   * the worker to see (no event: its status has not changed). A final task is left as it is.
   *
   * @return the task after the change, or empty if there is no such task
   */
  Optional<TaskRecord> cancel(CancelCommand command);

  /**
   * Recorded events with a sequence number above {@code afterSeq}, in order, at most {@code limit}.
   * A store may drop old events; a reader that asks for dropped ones gets the oldest kept.
   */
  List<TaskEvent> eventsAfter(long afterSeq, int limit);

  /** The sequence number of the newest recorded event, 0 if none. */
  long lastEventSeq();

  /**
   * Records a webhook delivery, due at {@code now}, for each recorded event whose task has a
   * webhook URL: PENDING, or GONE if that URL answered 410 Gone for the task's organization before.
   * Considers at most {@code limit} events not considered before, in sequence order, and remembers
   * how far it got, durably, so that after a crash it goes on from there. Safe to call from several
   * engines at once: each event gets at most one delivery. A store may instead record deliveries
   * with the events themselves; it then always returns 0.
   *
   * @return how many events were considered; 0 when every recorded event has been
   */
  int prepareWebhookDeliveries(Instant now, int limit);

  /**
   * Takes PENDING deliveries due at the claim's instant, earliest due first, within its limits, and
   * makes each due again only at its lease's end, so that no other engine takes it while it is
   * being attempted; if no outcome is recorded, it is taken again after that. Two concurrent claims
   * never return the same delivery.
   *
   * @return the deliveries taken, as stored after being taken
   */
  List<WebhookDelivery> claimWebhookDeliveries(WebhookClaim claim);

  /**
   * Stores the outcome of an attempt, if the delivery is still PENDING and held under the outcome's
   * lease. A GONE outcome also marks the URL gone for the organization: its other PENDING
   * deliveries become GONE, and later ones are recorded GONE.
   *
   * @return false if the delivery was not held under that lease any more; nothing was stored
   */
  boolean recordWebhookOutcome(WebhookOutcome outcome);

  /** Lets deliveries to a URL that answered 410 Gone be made again, from the next event on. */
  void clearGoneWebhookUrl(String organizationId, String url);

  /** The task's webhook deliveries in event order; empty for an unknown task. */
  List<WebhookDelivery> webhookDeliveries(UUID taskId);

  /**
   * Stores a new schedule. If the schedule has an idempotency key and its organization already has
   * a schedule with that key (a deleted one included), nothing is stored and that schedule is
   * returned: of several concurrent inserts with one key, one is stored and every one returns it.
   *
   * @return the schedule given, as stored, or the organization's earlier one with its key
   */
  Schedule insertSchedule(Schedule schedule);

  /** The schedule with this id, deleted ones included. */
  Optional<Schedule> findSchedule(UUID id);

  /** The organization's schedules that are not deleted, oldest first. */
  List<Schedule> listSchedules(String organizationId, int offset, int limit);

  /**
   * Up to {@code limit} ACTIVE schedules due at {@code now} and not held past it ({@link
   * #holdSchedule}), earliest due first.
   */
  List<Schedule> dueSchedules(Instant now, int limit);

  /**
   * Keeps a due schedule out of {@link #dueSchedules} until {@code until}: one waiting for its
   * previous task, or failing to fire, so that it does not hold up the others.
   */
  void holdSchedule(UUID id, Instant until);

  /**
   * Moves an ACTIVE schedule past an occurrence, if its next occurrence is still {@code
   * expectedNext} (a compare-and-set: of several engines firing it, one advances it).
   *
   * @return whether it was advanced
   */
  boolean advanceSchedule(
      UUID id, Instant expectedNext, Instant next, Instant lastFire, UUID lastTask, Instant at);

  /**
   * Sets a schedule's status and next occurrence (to pause, resume or delete it); a deleted
   * schedule stays deleted.
   *
   * @return the schedule after the change, or empty if there is none
   */
  Optional<Schedule> setScheduleStatus(UUID id, ScheduleStatus status, Instant next, Instant at);

  /** Releases the store's resources. The default does nothing. */
  @Override
  default void close() {}
}
