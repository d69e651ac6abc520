package dev.errand.internal;

import dev.errand.EngineTimer;
import dev.errand.agent.Agent;
import dev.errand.spi.ClaimRequest;
import dev.errand.spi.LeaseRef;
import dev.errand.spi.ReclaimRequest;
import dev.errand.spi.RenewRequest;
import dev.errand.spi.RenewResult;
import dev.errand.spi.TaskRecord;
import dev.errand.spi.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease-based worker loop of one engine. Claims are batched up to the free worker slots and run
 * on the timer; a wake (local submit, finished run, poll) schedules at most one claim pass at a
 * time. Heartbeats renew every held lease in one store call and recover expired ones.
 */
final class WorkerPool {
  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
  private static final int RECLAIM_BATCH = 100;
  private static final Duration MAX_ERROR_BACKOFF = Duration.ofSeconds(30);

  private final EngineConfig config;
  private final TaskStore store;
  private final Clock clock;
  private final EngineTimer timer;
  private final Executor executor;
  private final String workerId;
  private final RunEnv env;
  private final Map<UUID, TaskRun> active = new ConcurrentHashMap<>();
  private final AtomicBoolean claimScheduled = new AtomicBoolean();
  private final AtomicBoolean pollScheduled = new AtomicBoolean();
  private final AtomicInteger storeErrors = new AtomicInteger();
  private final Object idle = new Object();
  private volatile boolean claiming;
  private volatile boolean stopped;

  WorkerPool(
      EngineConfig config, EngineTimer timer, Executor executor, String workerId, RunEnv env) {
    this.config = config;
    this.store = config.store();
    this.clock = config.clock();
    this.timer = timer;
    this.executor = executor;
    this.workerId = workerId;
    this.env = env;
  }

  void start() {
    claiming = true;
    wake();
    timer.schedule(config.heartbeatInterval(), this::heartbeat);
  }

  /** Looks for work soon, unless a claim pass is already due. */
  void wake() {
    if (claiming && claimScheduled.compareAndSet(false, true)) {
      timer.schedule(Duration.ZERO, this::claimPass);
    }
  }

  /** The local run of a task, if this engine holds it. */
  TaskRun run(UUID taskId) {
    return active.get(taskId);
  }

  private synchronized void claimPass() {
    claimScheduled.set(false);
    int free = config.workers() - active.size();
    if (!claiming || free <= 0) {
      return;
    }
    Instant now = clock.instant();
    List<TaskRecord> claimed;
    try {
      claimed =
          store.claim(
              new ClaimRequest(
                  workerId, now, now.plus(config.leaseDuration()), free, config.agents().keySet()));
      storeErrors.set(0);
    } catch (RuntimeException e) {
      Duration backoff = errorBackoff();
      log.warn("claiming tasks failed; trying again in {}", backoff, e);
      schedulePoll(backoff);
      return;
    }
    claimed.forEach(this::launch);
    if (!claimed.isEmpty()) {
      env.storeChanged().run();
    }
    if (claimed.size() < free) {
      schedulePoll(config.pollInterval());
    }
  }

  private Duration errorBackoff() {
    int errors = Math.min(storeErrors.incrementAndGet(), 16);
    Duration backoff = config.pollInterval().multipliedBy(1L << Math.min(errors - 1, 10));
    return backoff.compareTo(MAX_ERROR_BACKOFF) > 0 ? MAX_ERROR_BACKOFF : backoff;
  }

  private void schedulePoll(Duration delay) {
    if (pollScheduled.compareAndSet(false, true)) {
      timer.schedule(
          delay,
          () -> {
            pollScheduled.set(false);
            wake();
          });
    }
  }

  private void launch(TaskRecord task) {
    Agent agent = config.agents().get(task.taskType());
    TaskRun run = new TaskRun(task, env);
    active.put(task.id(), run);
    EngineTimer.Cancellable timeout = timer.schedule(task.timeout(), run::timeOut);
    try {
      executor.execute(
          () -> {
            try {
              run.execute(agent);
            } finally {
              timeout.cancel();
              finished(run);
            }
          });
    } catch (RejectedExecutionException e) {
      log.error("executor refused task {}; giving it back", task.id(), e);
      timeout.cancel();
      run.giveBack();
      finished(run);
    }
  }

  private void finished(TaskRun run) {
    active.remove(run.id(), run);
    synchronized (idle) {
      idle.notifyAll();
    }
    wake();
  }

  private void heartbeat() {
    try {
      renewLeases();
      int reclaimed = store.reclaimExpired(new ReclaimRequest(clock.instant(), RECLAIM_BATCH));
      if (reclaimed > 0) {
        log.info("recovered {} tasks whose worker stopped renewing its lease", reclaimed);
        env.storeChanged().run();
        wake();
      }
    } catch (RuntimeException e) {
      log.warn("heartbeat failed; trying again in {}", config.heartbeatInterval(), e);
    } finally {
      if (!stopped) {
        timer.schedule(config.heartbeatInterval(), this::heartbeat);
      }
    }
  }

  private void renewLeases() {
    List<LeaseRef> leases = active.values().stream().map(TaskRun::lease).toList();
    if (leases.isEmpty()) {
      return;
    }
    Instant expiry = clock.instant().plus(config.leaseDuration());
    RenewResult result = store.renew(new RenewRequest(leases, expiry));
    result.lost().forEach(id -> ifActive(id, TaskRun::lost));
    result.cancelRequested().forEach(id -> ifActive(id, TaskRun::requestCancel));
  }

  private void ifActive(UUID id, Consumer<TaskRun> action) {
    TaskRun run = active.get(id);
    if (run != null) {
      action.accept(run);
    }
  }

  /**
   * Stops claiming, asks running agents to stop at their next step, waits up to the grace period
   * for them, then gives the rest back to the store.
   */
  void shutdown(Duration grace) throws InterruptedException {
    claiming = false;
    active.values().forEach(TaskRun::requestGiveBack);
    long deadline = System.nanoTime() + grace.toNanos();
    synchronized (idle) {
      long left;
      while (!active.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(idle, left);
      }
    }
    active.values().forEach(TaskRun::giveBack);
    stopped = true;
  }
}
