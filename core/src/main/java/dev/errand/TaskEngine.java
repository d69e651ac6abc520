package dev.errand;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.schedule.Schedule;
import dev.errand.schedule.ScheduleRequest;
import dev.errand.webhook.WebhookDelivery;
import java.net.URI;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Accepts tasks, runs them durably on background workers, and reports on them. Build one with
 * {@link #builder()}, call {@link #start()} to start its workers, and {@link #close()} to stop
 * them. Submitting, reading and cancelling also work on an engine that is not started (a node that
 * only submits), as long as the task's type has an agent registered.
 *
 * <p>Thread-safe.
 */
public interface TaskEngine extends AutoCloseable {
  /** A builder for an engine. */
  static TaskEngineBuilder builder() {
    return new TaskEngineBuilder();
  }

  /**
   * Starts the workers, heartbeats and event delivery.
   *
   * @throws IllegalStateException if the engine was started or closed before
   */
  void start();

  /**
   * Checks and stores a task, and wakes a local worker for it. Returns once the task is stored.
   * Idempotency keys starting with {@code errand-schedule:} and the metadata names {@code
   * schedule_id} and {@code scheduled_for} are the engine's, set on the tasks of schedules only.
   *
   * @return the stored task; with an idempotency key already used in the organization, the task
   *     stored the first time
   * @throws TaskValidationException naming every bad field; nothing is stored
   * @throws StoreException if the store failed
   */
  Task submit(TaskRequest request);

  /**
   * Checks and stores a task in the caller's own database transaction, so that the task exists if
   * and only if the caller commits: work and the task that follows it up are stored together. Takes
   * a store in the caller's database (the JDBC store); the store never commits, rolls back or
   * closes the connection. The engine cannot see the commit: its workers look for the task soon
   * after the call and then at every poll interval. Otherwise as {@link #submit}.
   *
   * @param transaction a connection to the store's database, in a transaction (auto-commit off)
   * @return the task as stored in the transaction; with an idempotency key already used in the
   *     organization, the task stored the first time
   * @throws TaskValidationException naming every bad field; nothing is stored
   * @throws UnsupportedOperationException if the store cannot join the caller's transaction, as the
   *     in-memory store cannot
   * @throws IllegalStateException if the connection is in auto-commit mode
   * @throws StoreException if the store failed; the caller's transaction may then be unusable
   */
  Task submit(Connection transaction, TaskRequest request);

  /** The most requests one {@link #submitAll} call takes. */
  int MAX_SUBMIT_ALL = 100_000;

  /**
   * Checks and stores several tasks together, and wakes local workers for them. Every request is
   * checked first, as by {@link #submit}: if any is refused, nothing is stored. The JDBC store then
   * stores them all in one transaction, so either all are stored or, if the store fails, none. An
   * idempotency key already used in the organization gives the task stored the first time, and a
   * key given twice in the list stores the first of them and gives it for both.
   *
   * @param requests at most {@value #MAX_SUBMIT_ALL}
   * @return the stored tasks, in the order of the requests
   * @throws TaskValidationException naming every bad field of every request by its index, for
   *     example {@code requests[3].priority}; nothing is stored
   * @throws IllegalArgumentException if there are more than {@value #MAX_SUBMIT_ALL} requests
   * @throws StoreException if the store failed
   */
  List<Task> submitAll(List<TaskRequest> requests);

  /** The task with this id, if any. */
  Optional<Task> find(UUID id);

  /**
   * The task with this id.
   *
   * @throws TaskNotFoundException if there is none
   */
  Task get(UUID id);

  /** One page of tasks matching the query. */
  TaskPage list(TaskQuery query);

  /**
   * Cancels a task. A PENDING task is CANCELLED at once. A RUNNING task is CANCELLED at its agent's
   * next step (graceful), or at once when {@code force} is true, with its partial output kept. A
   * final task is returned unchanged.
   *
   * @param reason why, or {@code null}; at most 1000 characters
   * @return the task after the request
   * @throws TaskNotFoundException if there is no such task
   * @throws TaskValidationException if the reason is too long or holds U+0000
   */
  Task cancel(UUID id, String reason, boolean force);

  /**
   * When the task is expected to end, from the durations of finished tasks of its type; empty for a
   * final task or a type with no history.
   */
  Optional<Instant> estimatedCompletion(Task task);

  /** Registers a listener for the events recorded after this call; see {@link TaskListener}. */
  void addListener(TaskListener listener);

  /** Removes a listener; does nothing if it was not registered. */
  void removeListener(TaskListener listener);

  /** The ObjectMapper the engine reads and writes task payloads with. */
  ObjectMapper objectMapper();

  /**
   * Events numbered after {@code afterSeq}, oldest first: for streams a client resumes from the
   * last event it saw. Numbers follow commit order, so reading on from the last number seen loses
   * nothing. The store keeps a bounded history; older events are gone.
   *
   * @param limit at most this many, 1 to 1000
   * @throws IllegalArgumentException if limit is out of range
   */
  List<TaskEvent> eventsAfter(long afterSeq, int limit);

  /** The number of the newest event, 0 when there is none. */
  long lastEventSeq();

  /**
   * The task's webhook deliveries in event order, with their attempts and outcomes; empty when it
   * has no webhook URL or is unknown.
   */
  List<WebhookDelivery> webhookDeliveries(UUID taskId);

  /**
   * Lets webhooks be delivered again to a URL that answered 410 Gone for the organization, from the
   * next event on; the deliveries stopped by the 410 stay GONE.
   */
  void clearGoneWebhookUrl(String organizationId, URI url);

  /**
   * Creates a recurring schedule; from its first occurrence after now, each occurrence submits one
   * task like the request's template.
   *
   * @throws TaskValidationException naming each bad field of the template or the recurrence
   */
  Schedule createSchedule(ScheduleRequest request);

  /** The schedule with this id, if any (deleted ones included, with status DELETED). */
  Optional<Schedule> findSchedule(UUID id);

  /** The organization's schedules that are not deleted, oldest first. */
  List<Schedule> listSchedules(String organizationId, int offset, int limit);

  /**
   * Pauses a schedule: no task is created until it is resumed.
   *
   * @throws dev.errand.schedule.ScheduleNotFoundException if there is no such schedule, or it is
   *     deleted
   */
  Schedule pauseSchedule(UUID id);

  /**
   * Resumes a paused schedule from its next occurrence after now; the occurrences it missed while
   * paused do not fire.
   *
   * @throws dev.errand.schedule.ScheduleNotFoundException if there is no such schedule, or it is
   *     deleted
   */
  Schedule resumeSchedule(UUID id);

  /**
   * Deletes a schedule: it creates no more tasks; the tasks it created are left as they are.
   *
   * @throws dev.errand.schedule.ScheduleNotFoundException if there is no such schedule
   */
  void deleteSchedule(UUID id);

  /** The task types this engine has agents for, and so accepts. */
  Set<String> taskTypes();

  /**
   * Stops claiming, lets running steps finish within the shutdown grace period, gives the remaining
   * tasks back to the store for another worker, and releases the engine's threads (not an executor
   * or timer the host passed in). Idempotent.
   */
  @Override
  void close();
}
