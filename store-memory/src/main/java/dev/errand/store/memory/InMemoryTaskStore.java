package dev.errand.store.memory;

import dev.errand.TaskError;
import dev.errand.TaskEvent;
import dev.errand.TaskEventType;
import dev.errand.TaskQuery;
import dev.errand.TaskStatus;
import dev.errand.schedule.Schedule;
import dev.errand.schedule.ScheduleStatus;
import dev.errand.spi.CancelCommand;
import dev.errand.spi.Checkpoint;
import dev.errand.spi.CheckpointWrite;
import dev.errand.spi.ClaimRequest;
import dev.errand.spi.Completion;
import dev.errand.spi.InsertResult;
import dev.errand.spi.LeaseRef;
import dev.errand.spi.ProgressUpdate;
import dev.errand.spi.ReclaimRequest;
import dev.errand.spi.Release;
import dev.errand.spi.RenewRequest;
import dev.errand.spi.RenewResult;
import dev.errand.spi.StoredPage;
import dev.errand.spi.TaskRecord;
import dev.errand.spi.TaskStore;
import dev.errand.spi.WebhookClaim;
import dev.errand.spi.WebhookOutcome;
import dev.errand.webhook.WebhookDelivery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link TaskStore} in the heap of one process. Thread-safe: writes are serialised on the store,
 * reads see the latest committed record without locking, and every record handed out is immutable.
 * Fencing, claim order, idempotency and events behave as in the database stores, so the same
 * contract test passes against it. Nothing survives the process.
 *
 * <p>The event log keeps the newest {@link #DEFAULT_EVENT_CAPACITY} events unless told otherwise.
 */
public final class InMemoryTaskStore implements TaskStore {
  /** How many events are kept when no capacity is given. */
  public static final int DEFAULT_EVENT_CAPACITY = 100_000;

  private final int eventCapacity;
  private final Map<UUID, TaskRecord> tasks = new ConcurrentHashMap<>();
  private final Map<String, UUID> byIdempotencyKey = new HashMap<>();
  private final TreeSet<TaskRecord> waiting = new TreeSet<>(TaskOrder.DUE);
  private final TreeSet<TaskRecord> due = new TreeSet<>(TaskRecord.CLAIM_ORDER);
  private final Set<UUID> running = new HashSet<>();
  private final StatusIndex statusIndex = new StatusIndex();
  private final Map<UUID, List<Checkpoint>> checkpoints = new ConcurrentHashMap<>();
  private final ConcurrentSkipListMap<Long, TaskEvent> events = new ConcurrentSkipListMap<>();
  private final WebhookOutbox webhooks = new WebhookOutbox();
  private final Schedules schedules = new Schedules();
  private long lastSeq;

  /** A store keeping the newest {@value #DEFAULT_EVENT_CAPACITY} events. */
  public InMemoryTaskStore() {
    this(DEFAULT_EVENT_CAPACITY);
  }

  /**
   * A store keeping the newest {@code eventCapacity} events.
   *
   * @throws IllegalArgumentException if eventCapacity is below 1
   */
  public InMemoryTaskStore(int eventCapacity) {
    if (eventCapacity < 1) {
      throw new IllegalArgumentException("eventCapacity must be at least 1, was " + eventCapacity);
    }
    this.eventCapacity = eventCapacity;
  }

  @Override
  public synchronized InsertResult insert(TaskRecord task) {
    if (task.status() != TaskStatus.PENDING || task.attempt() != 0) {
      throw new IllegalArgumentException("a new task must be PENDING with attempt 0: " + task.id());
    }
    String key = idempotencyKey(task);
    UUID existing = key == null ? null : byIdempotencyKey.get(key);
    if (existing != null) {
      return new InsertResult(tasks.get(existing), false);
    }
    if (tasks.containsKey(task.id())) {
      throw new IllegalArgumentException("task " + task.id() + " already exists");
    }
    if (key != null) {
      byIdempotencyKey.put(key, task.id());
    }
    put(task);
    record(task, TaskEventType.TASK_SUBMITTED, task.createdAt());
    return new InsertResult(task, true);
  }

  private static String idempotencyKey(TaskRecord task) {
    return task.idempotencyKey() == null
        ? null
        : task.organizationId() + '\u0000' + task.idempotencyKey();
  }

  @Override
  public Optional<TaskRecord> find(UUID id) {
    return Optional.ofNullable(tasks.get(id));
  }

  @Override
  public StoredPage list(TaskQuery query) {
    if (StatusIndex.serves(query)) {
      return statusIndex.page(query, tasks::get);
    }
    Comparator<TaskRecord> order = TaskOrder.of(query);
    int keep = query.offset() + query.limit();
    // the first offset + limit matches in order, kept in a heap whose head is the last of them,
    // so a page costs one pass over the tasks rather than a sort of every match
    PriorityQueue<TaskRecord> firstMatches = new PriorityQueue<>(keep, order.reversed());
    long total = 0;
    for (TaskRecord r : tasks.values()) {
      if (!StatusIndex.matches(query, r)) {
        continue;
      }
      total++;
      if (firstMatches.size() < keep) {
        firstMatches.add(r);
      } else if (order.compare(r, firstMatches.peek()) < 0) {
        firstMatches.poll();
        firstMatches.add(r);
      }
    }
    List<TaskRecord> sorted = new ArrayList<>(firstMatches);
    sorted.sort(order);
    int from = Math.min(query.offset(), sorted.size());
    return new StoredPage(sorted.subList(from, sorted.size()), total);
  }

  @Override
  public synchronized List<TaskRecord> claim(ClaimRequest request) {
    promoteDue(request.now());
    List<TaskRecord> claimed = new ArrayList<>();
    Iterator<TaskRecord> it = due.iterator();
    while (it.hasNext() && claimed.size() < request.limit()) {
      TaskRecord r = it.next();
      if (request.taskTypes().contains(r.taskType()) && !r.runAfter().isAfter(request.now())) {
        TaskRecord started = started(r, request);
        it.remove();
        tasks.put(started.id(), started);
        statusIndex.moved(r, started);
        running.add(started.id());
        record(started, TaskEventType.TASK_STARTED, request.now());
        claimed.add(started);
      }
    }
    return claimed;
  }

  private void promoteDue(Instant now) {
    while (!waiting.isEmpty() && !waiting.first().runAfter().isAfter(now)) {
      due.add(waiting.pollFirst());
    }
  }

  private static TaskRecord started(TaskRecord r, ClaimRequest request) {
    return r.toBuilder()
        .status(TaskStatus.RUNNING)
        .lease(request.workerId(), request.leaseExpiresAt())
        .fence(r.fence() + 1)
        .attempt(r.attempt() + 1)
        .startedAt(r.startedAt() == null ? request.now() : r.startedAt())
        .updatedAt(request.now())
        .build();
  }

  @Override
  public synchronized RenewResult renew(RenewRequest request) {
    Set<LeaseRef> lost = new HashSet<>();
    Set<LeaseRef> cancelRequested = new HashSet<>();
    for (LeaseRef lease : request.leases()) {
      TaskRecord r = held(lease.taskId(), lease.fence());
      if (r == null) {
        lost.add(lease);
        continue;
      }
      tasks.put(r.id(), r.toBuilder().lease(r.leaseOwner(), request.leaseExpiresAt()).build());
      if (r.cancelRequested()) {
        cancelRequested.add(lease);
      }
    }
    return new RenewResult(lost, cancelRequested);
  }

  /** The task if it is RUNNING under this fence, else {@code null}. */
  private TaskRecord held(UUID id, long fence) {
    TaskRecord r = tasks.get(id);
    return r != null && r.status() == TaskStatus.RUNNING && r.fence() == fence ? r : null;
  }

  @Override
  public synchronized boolean checkpoint(CheckpointWrite write) {
    if (held(write.taskId(), write.fence()) == null) {
      return false;
    }
    List<Checkpoint> list = new ArrayList<>(checkpoints.getOrDefault(write.taskId(), List.of()));
    int seq = list.isEmpty() ? 1 : list.get(list.size() - 1).seq() + 1;
    list.removeIf(c -> c.stepKey().equals(write.stepKey()));
    list.add(new Checkpoint(write.taskId(), seq, write.stepKey(), write.output(), write.at()));
    checkpoints.put(write.taskId(), List.copyOf(list));
    return true;
  }

  @Override
  public List<Checkpoint> checkpoints(UUID taskId) {
    return checkpoints.getOrDefault(taskId, List.of());
  }

  @Override
  public synchronized boolean progress(ProgressUpdate update) {
    TaskRecord r = held(update.taskId(), update.fence());
    if (r == null) {
      return false;
    }
    TaskRecord.Builder b =
        r.toBuilder()
            .progressPercentage(update.percentage())
            .currentStage(update.currentStage())
            .stagesCompleted(update.stagesCompleted())
            .updatedAt(update.at());
    if (update.outputPreview() != null) {
      b.outputPreview(update.outputPreview());
    }
    TaskRecord updated = b.build();
    tasks.put(updated.id(), updated);
    record(updated, TaskEventType.TASK_PROGRESS, update.at());
    return true;
  }

  @Override
  public synchronized boolean complete(Completion c) {
    TaskRecord r = held(c.taskId(), c.fence());
    if (r == null) {
      return false;
    }
    end(
        r.toBuilder().result(c.result()).report(c.report()).error(c.errorCode(), c.errorMessage()),
        c.status(),
        c.at());
    return true;
  }

  /** Moves a task to a final status, clears its lease and records the event. */
  private void end(TaskRecord.Builder b, TaskStatus status, Instant at) {
    TaskRecord ended = b.status(status).lease(null, null).updatedAt(at).completedAt(at).build();
    put(ended);
    record(ended, TaskEventType.endedWith(status), at);
  }

  @Override
  public synchronized boolean release(Release release) {
    TaskRecord r = held(release.taskId(), release.fence());
    if (r == null) {
      return false;
    }
    if (r.cancelRequested()) {
      end(r.toBuilder(), TaskStatus.CANCELLED, release.at());
      return true;
    }
    TaskRecord.Builder b =
        r.toBuilder()
            .status(TaskStatus.PENDING)
            .lease(null, null)
            .runAfter(release.runAfter())
            .updatedAt(release.at());
    if (release.retry()) {
      b.error(release.errorCode(), release.errorMessage());
    } else {
      b.attempt(r.attempt() - 1);
    }
    TaskRecord pending = b.build();
    put(pending);
    record(pending, TaskEventType.TASK_RETRYING, release.at());
    return true;
  }

  @Override
  public synchronized int reclaimExpired(ReclaimRequest request) {
    List<TaskRecord> expired =
        running.stream()
            .map(tasks::get)
            .filter(r -> r.leaseExpiresAt().isBefore(request.now()))
            .limit(request.limit())
            .toList();
    for (TaskRecord r : expired) {
      reclaim(r, request);
    }
    return expired.size();
  }

  private void reclaim(TaskRecord r, ReclaimRequest request) {
    Instant now = request.now();
    int losses = r.leaseLosses() + 1;
    TaskRecord.Builder b =
        r.toBuilder().fence(r.fence() + 1).attempt(r.attempt() - 1).leaseLosses(losses);
    if (r.cancelRequested()) {
      end(b, TaskStatus.CANCELLED, now);
    } else if (losses >= request.maxLeaseLosses()) {
      String message = request.lossesExceeded(losses, r.leaseOwner());
      end(b.error(TaskError.LEASE_LOSSES_EXCEEDED, message), TaskStatus.FAILED, now);
    } else {
      TaskRecord pending = b.status(TaskStatus.PENDING).lease(null, null).updatedAt(now).build();
      put(pending);
      record(pending, TaskEventType.TASK_RETRYING, now);
    }
  }

  @Override
  public synchronized Optional<TaskRecord> cancel(CancelCommand command) {
    TaskRecord r = tasks.get(command.taskId());
    if (r == null || r.status().isFinal()) {
      return Optional.ofNullable(r);
    }
    TaskRecord.Builder b = r.toBuilder().cancel(true, command.reason());
    if (r.status() == TaskStatus.PENDING || command.force()) {
      end(b, TaskStatus.CANCELLED, command.at());
    } else {
      tasks.put(r.id(), b.updatedAt(command.at()).build());
    }
    return Optional.of(tasks.get(r.id()));
  }

  @Override
  public List<TaskEvent> eventsAfter(long afterSeq, int limit) {
    return events.tailMap(afterSeq, false).values().stream().limit(limit).toList();
  }

  @Override
  public synchronized long lastEventSeq() {
    return lastSeq;
  }

  /** Always 0: deliveries are recorded with their events. */
  @Override
  public int prepareWebhookDeliveries(Instant now, int limit) {
    return 0;
  }

  @Override
  public synchronized List<WebhookDelivery> claimWebhookDeliveries(WebhookClaim claim) {
    return webhooks.claim(claim);
  }

  @Override
  public synchronized boolean recordWebhookOutcome(WebhookOutcome outcome) {
    return webhooks.record(outcome);
  }

  @Override
  public synchronized void clearGoneWebhookUrl(String organizationId, String url) {
    webhooks.clearGone(organizationId, url);
  }

  @Override
  public synchronized List<WebhookDelivery> webhookDeliveries(UUID taskId) {
    return webhooks.ofTask(taskId);
  }

  @Override
  public synchronized Schedule insertSchedule(Schedule schedule) {
    return schedules.insert(schedule);
  }

  @Override
  public synchronized Optional<Schedule> findSchedule(UUID id) {
    return schedules.find(id);
  }

  @Override
  public synchronized List<Schedule> listSchedules(String organizationId, int offset, int limit) {
    return schedules.list(organizationId, offset, limit);
  }

  @Override
  public synchronized List<Schedule> dueSchedules(Instant now, int limit) {
    return schedules.due(now, limit);
  }

  @Override
  public synchronized void holdSchedule(UUID id, Instant until) {
    schedules.hold(id, until);
  }

  @Override
  public synchronized boolean advanceSchedule(
      UUID id, Instant expectedNext, Instant next, Instant lastFire, UUID lastTask, Instant at) {
    return schedules.advance(id, expectedNext, next, lastFire, lastTask, at);
  }

  @Override
  public synchronized Optional<Schedule> setScheduleStatus(
      UUID id, ScheduleStatus status, Instant next, Instant at) {
    return schedules.setStatus(id, status, next, at);
  }

  /** Stores a record and keeps the claim, lease and status indexes in step with its status. */
  private void put(TaskRecord r) {
    TaskRecord before = tasks.put(r.id(), r);
    statusIndex.moved(before, r);
    if (before != null && before.status() == TaskStatus.PENDING) {
      waiting.remove(before);
      due.remove(before);
    }
    if (r.status() == TaskStatus.PENDING) {
      waiting.add(r);
    }
    if (r.status() == TaskStatus.RUNNING) {
      running.add(r.id());
    } else {
      running.remove(r.id());
    }
  }

  private void record(TaskRecord r, TaskEventType type, Instant at) {
    lastSeq++;
    TaskEvent event =
        new TaskEvent(
            lastSeq,
            r.id(),
            r.organizationId(),
            type,
            at,
            r.status(),
            r.attempt(),
            r.progressPercentage(),
            r.currentStage());
    events.put(lastSeq, event);
    webhooks.record(r, event);
    while (events.size() > eventCapacity) {
      events.pollFirstEntry();
    }
  }
}
