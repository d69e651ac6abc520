package dev.errand.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.EngineTimer;
import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskEvent;
import dev.errand.TaskListener;
import dev.errand.TaskNotFoundException;
import dev.errand.TaskPage;
import dev.errand.TaskQuery;
import dev.errand.TaskRequest;
import dev.errand.TaskStatus;
import dev.errand.schedule.Schedule;
import dev.errand.schedule.ScheduleRequest;
import dev.errand.spi.CancelCommand;
import dev.errand.spi.InsertResult;
import dev.errand.spi.TaskRecord;
import dev.errand.spi.TaskStore;
import dev.errand.webhook.WebhookDelivery;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine behind {@link TaskEngine#builder()}. */
public final class DefaultTaskEngine implements TaskEngine {
  private static final Logger log = LoggerFactory.getLogger(DefaultTaskEngine.class);

  /**
   * When, after a submit in the caller's transaction, the engine looks for the task (the caller has
   * likely committed by then); later, its poll finds it.
   */
  private static final List<Duration> AFTER_CALLERS_COMMIT =
      List.of(Duration.ofMillis(20), Duration.ofMillis(200));

  /** How long {@link #close()} waits for each background loop's work under way. */
  static final Duration CLOSE_BOUND = Duration.ofSeconds(10);

  private enum State {
    NEW,
    STARTED,
    CLOSED
  }

  private final EngineConfig config;
  private final TaskStore store;
  private final Json json;
  private final TaskMapper mapper;
  private final SubmitValidator validator;
  private final PendingCap pendingCap;
  private final CompletionEstimator estimator;
  private final EngineTimer timer;
  private final ThreadPoolTimer ownTimer;
  private final ThreadPoolTimer ownHeartbeatTimer;
  private final ExecutorService ownExecutor;
  private final EventDispatcher events;
  private final WebhookDispatcher webhooks;
  private final ScheduleFirer schedules;
  private final ScheduleBook scheduleBook;
  private final WorkerPool workers;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);

  /** An engine with checked settings; use {@link TaskEngine#builder()}. */
  public DefaultTaskEngine(EngineConfig config) {
    this.config = config;
    this.store = config.store();
    this.json =
        new Json(config.objectMapper() == null ? Json.defaultMapper() : config.objectMapper());
    this.mapper = new TaskMapper(json);
    this.validator =
        new SubmitValidator(
            json,
            config.agents().keySet(),
            config.maxInputBytes(),
            config.webhooks(),
            config.defaultTimeout(),
            config.retryPolicy().maxAttempts());
    this.estimator = new CompletionEstimator(store, config.clock());
    this.pendingCap = new PendingCap(store, config.clock(), config.maxPendingTasks());
    this.ownTimer = config.timer() == null ? new ThreadPoolTimer("errand-timer", 2) : null;
    this.ownHeartbeatTimer =
        config.timer() == null ? new ThreadPoolTimer("errand-heartbeat", 1) : null;
    this.timer = ownTimer == null ? config.timer() : ownTimer;
    this.ownExecutor = config.executor() == null ? workerThreads(config.workers()) : null;
    this.events = new EventDispatcher(store, timer, config.pollInterval());
    this.webhooks = config.webhooks().enabled() ? WebhookDispatcher.of(config, timer, json) : null;
    this.schedules =
        new ScheduleFirer(store, this, json, config.clock(), timer, config.pollInterval());
    this.scheduleBook = new ScheduleBook(store, validator, json, config.clock());
    String workerId = config.workerId() == null ? defaultWorkerId() : config.workerId();
    RunEnv env =
        new RunEnv(
            store,
            new CompletionBatcher(store),
            config.clock(),
            json,
            config.retryPolicy(),
            this::changed,
            timer::nanoTime);
    this.workers =
        new WorkerPool(
            config,
            timer,
            ownHeartbeatTimer == null ? timer : ownHeartbeatTimer,
            ownExecutor == null ? config.executor() : ownExecutor,
            workerId,
            env);
  }

  /** Something was recorded: events to deliver, to listeners and to webhooks. */
  private void changed() {
    events.wake();
    if (webhooks != null) {
      webhooks.wake();
    }
  }

  private static ExecutorService workerThreads(int count) {
    return Executors.newFixedThreadPool(count, WakeableLoop.daemonThreads("errand-worker"));
  }

  private static String defaultWorkerId() {
    String jvm = ManagementFactory.getRuntimeMXBean().getName();
    return jvm + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Override
  public void start() {
    if (!state.compareAndSet(State.NEW, State.STARTED)) {
      throw new IllegalStateException(
          "engine can be started once, and not after close; it is " + state.get());
    }
    events.start();
    if (webhooks != null) {
      webhooks.start();
    }
    schedules.start();
    workers.start();
  }

  @Override
  public Task submit(TaskRequest request) {
    return submit(request, false);
  }

  /** Submits a schedule's occurrence, which may carry the key and metadata the engine reserves. */
  Task submitOccurrence(TaskRequest request) {
    return submit(request, true);
  }

  private Task submit(TaskRequest request, boolean byEngine) {
    InsertResult result = store.insert(admitted(request, byEngine));
    if (result.created()) {
      newWork();
    }
    return mapper.toTask(result.task());
  }

  /** The checked task of a request, counted against the maximum of pending tasks. */
  private TaskRecord admitted(TaskRequest request, boolean byEngine) {
    requireOpen();
    Instant now = config.clock().instant();
    TaskRecord record = validator.toRecord(request, TimeOrderedIds.next(now), now, byEngine);
    pendingCap.admit();
    return record;
  }

  @Override
  public Task submit(Connection transaction, TaskRequest request) {
    Objects.requireNonNull(transaction, "transaction");
    InsertResult result = store.insert(transaction, admitted(request, false));
    if (result.created()) {
      for (Duration delay : AFTER_CALLERS_COMMIT) {
        timer.schedule(delay, this::newWork);
      }
    }
    return mapper.toTask(result.task());
  }

  /** Tasks were stored (or may have been, by the caller's commit): deliver events, find work. */
  private void newWork() {
    changed();
    workers.wake();
  }

  @Override
  public List<Task> submitAll(List<TaskRequest> requests) {
    requireOpen();
    Objects.requireNonNull(requests, "requests");
    if (requests.size() > MAX_SUBMIT_ALL) {
      throw new IllegalArgumentException(
          "submitAll takes at most " + MAX_SUBMIT_ALL + " requests, was " + requests.size());
    }
    List<TaskRecord> records = validator.toRecords(requests, config.clock().instant());
    if (records.isEmpty()) {
      return List.of();
    }
    pendingCap.admit(records.size());
    List<InsertResult> results = store.insertAll(records);
    if (results.stream().anyMatch(InsertResult::created)) {
      newWork();
    }
    return results.stream().map(r -> mapper.toTask(r.task())).toList();
  }

  @Override
  public Optional<Task> find(UUID id) {
    return store.find(id).map(mapper::toTask);
  }

  @Override
  public Task get(UUID id) {
    return find(id).orElseThrow(() -> new TaskNotFoundException(id));
  }

  @Override
  public TaskPage list(TaskQuery query) {
    var page = store.list(query);
    return new TaskPage(
        page.tasks().stream().map(mapper::toTask).toList(),
        page.totalCount(),
        query.offset(),
        query.limit());
  }

  @Override
  public Task cancel(UUID id, String reason, boolean force) {
    requireOpen();
    SubmitValidator.checkReason(reason);
    CancelCommand command = new CancelCommand(id, reason, force, config.clock().instant());
    TaskRecord after = store.cancel(command).orElseThrow(() -> new TaskNotFoundException(id));
    changed();
    workers
        .run(id)
        .ifPresent(
            run -> {
              if (after.status() == TaskStatus.CANCELLED) {
                run.lost();
              } else if (after.cancelRequested()) {
                run.requestCancel();
              }
            });
    return mapper.toTask(after);
  }

  @Override
  public Optional<Instant> estimatedCompletion(Task task) {
    return estimator.estimate(task);
  }

  @Override
  public void addListener(TaskListener listener) {
    events.add(listener);
  }

  @Override
  public void removeListener(TaskListener listener) {
    events.remove(listener);
  }

  @Override
  public ObjectMapper objectMapper() {
    return json.mapper();
  }

  @Override
  public List<TaskEvent> eventsAfter(long afterSeq, int limit) {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be between 1 and 1000, was " + limit);
    }
    return store.eventsAfter(afterSeq, limit);
  }

  @Override
  public long lastEventSeq() {
    return store.lastEventSeq();
  }

  @Override
  public Schedule createSchedule(ScheduleRequest request) {
    requireOpen();
    return scheduleBook.create(request);
  }

  @Override
  public Optional<Schedule> findSchedule(UUID id) {
    return store.findSchedule(id);
  }

  @Override
  public List<Schedule> listSchedules(String organizationId, int offset, int limit) {
    return scheduleBook.list(organizationId, offset, limit);
  }

  @Override
  public Schedule pauseSchedule(UUID id) {
    requireOpen();
    return scheduleBook.pause(id);
  }

  @Override
  public Schedule resumeSchedule(UUID id) {
    requireOpen();
    return scheduleBook.resume(id);
  }

  @Override
  public void deleteSchedule(UUID id) {
    requireOpen();
    scheduleBook.delete(id);
  }

  @Override
  public List<WebhookDelivery> webhookDeliveries(UUID taskId) {
    return store.webhookDeliveries(taskId);
  }

  @Override
  public void clearGoneWebhookUrl(String organizationId, URI url) {
    store.clearGoneWebhookUrl(
        Objects.requireNonNull(organizationId, "organizationId"),
        Objects.requireNonNull(url, "url").toString());
  }

  @Override
  public Set<String> taskTypes() {
    return config.agents().keySet();
  }

  /**
   * Stops the workers (running steps get the grace period, then their tasks are given back), then
   * every background loop and timer, waiting for each (up to {@link #CLOSE_BOUND}) so that nothing
   * of this engine touches the store once this returns; only then is the store closed, if asked.
   */
  @Override
  public void close() {
    State before = state.getAndSet(State.CLOSED);
    if (before == State.CLOSED) {
      return;
    }
    stopLoop("schedule firer", schedules.close(CLOSE_BOUND)); // no new submits from here on
    try {
      if (before == State.STARTED) {
        workers.shutdown(config.shutdownGracePeriod());
        events.stop();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("interrupted while waiting for running tasks; they are recovered by lease expiry");
    } finally {
      closeBackground();
      if (config.closeStoreOnClose()) {
        store.close();
      }
    }
  }

  private void closeBackground() {
    if (webhooks != null) {
      stopLoop("webhook dispatcher", webhooks.close(CLOSE_BOUND));
    }
    stopLoop("event dispatcher", events.close(CLOSE_BOUND));
    if (ownExecutor != null) {
      // the runs were stopped already
      stopLoop("worker threads", Shutdowns.shutdownAndWait(ownExecutor, CLOSE_BOUND));
    }
    if (ownHeartbeatTimer != null) {
      stopLoop("heartbeat timer", ownHeartbeatTimer.close(CLOSE_BOUND));
    }
    if (ownTimer != null) {
      stopLoop("timer", ownTimer.close(CLOSE_BOUND));
    }
  }

  private static void stopLoop(String what, boolean stopped) {
    if (!stopped) {
      log.warn("the {} did not stop within {}; closing without it", what, CLOSE_BOUND);
    }
  }

  private void requireOpen() {
    if (state.get() == State.CLOSED) {
      throw new IllegalStateException("engine is closed");
    }
  }
}
