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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease-based worker loop of one engine. Claims are batched up to the free worker slots and run
 * on the timer, one pass at a time: a wake during a pass is remembered and answered by another
 * pass, never by blocking a timer thread. Runs are keyed by lease (task and fence), and so are
 * renewal answers, so a heartbeat that reports an old lease lost never stops a newer run of the
 * same task. Heartbeats renew every held lease in one store call, on a timer of their own that
 * nothing else blocks; expired leases of other workers are recovered on the shared timer. Each run
 * knows, by the timer's monotonic reading taken before its claim or last renewal was sent, when its
 * lease may have passed.
 */
final class WorkerPool {
  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
  private static final int RECLAIM_BATCH = 100;
  private static final int RECLAIM_BATCHES_PER_HEARTBEAT = 20;
  private static final Duration MAX_ERROR_BACKOFF = Duration.ofSeconds(30);

  private final EngineConfig config;
  private final TaskStore store;
  private final Clock clock;
  private final EngineTimer timer;
  private final EngineTimer heartbeatTimer;
  private final Executor executor;
  private final String workerId;
  private final RunEnv env;
  private final Map<LeaseRef, TaskRun> active = new ConcurrentHashMap<>();
  private final AtomicBoolean claimScheduled = new AtomicBoolean();
  private final AtomicBoolean wakeAgain = new AtomicBoolean();
  private final AtomicBoolean pollScheduled = new AtomicBoolean();
  private final AtomicInteger storeErrors = new AtomicInteger();
  private final Object claimLock = new Object();
  private final Object idle = new Object();
  private volatile boolean claiming;
  private volatile boolean stopped;

  WorkerPool(
      EngineConfig config,
      EngineTimer timer,
      EngineTimer heartbeatTimer,
      Executor executor,
      String workerId,
      RunEnv env) {
    this.config = config;
    this.store = config.store();
    this.clock = config.clock();
    this.timer = timer;
    this.heartbeatTimer = heartbeatTimer;
    this.executor = executor;
    this.workerId = workerId;
    this.env = env;
  }

  void start() {
    claiming = true;
    wake();
    repeat(heartbeatTimer, "renewing leases", this::renewLeases);
    repeat(timer, "recovering expired leases", this::reclaimExpired);
  }

  /** Runs {@code work} every heartbeat interval on {@code on} until the pool stops. */
  private void repeat(EngineTimer on, String what, Runnable work) {
    Duration every = config.heartbeatInterval();
    on.schedule(
        every,
        () -> {
          try {
            work.run();
          } catch (RuntimeException e) {
            FailureLog.warn(log, what + " failed; trying again in " + every, e);
          } finally {
            if (!stopped) {
              repeat(on, what, work);
            }
          }
        });
  }

  /** Looks for work soon; a wake during a claim pass makes another pass follow it. */
  void wake() {
    if (!claiming) {
      return;
    }
    if (claimScheduled.compareAndSet(false, true)) {
      timer.schedule(Duration.ZERO, this::claimPass);
      return;
    }
    wakeAgain.set(true);
    if (claimScheduled.compareAndSet(false, true)) { // the pass ended meanwhile
      wakeAgain.set(false);
      timer.schedule(Duration.ZERO, this::claimPass);
    }
  }

  /** The newest local run of a task (an older one is stale), if this engine runs it now. */
  Optional<TaskRun> run(UUID taskId) {
    return active.values().stream()
        .filter(r -> r.id().equals(taskId))
        .max(Comparator.comparingLong(r -> r.lease().fence()));
  }

  private void claimPass() {
    try {
      synchronized (claimLock) {
        if (claiming) {
          claimOnce();
        }
      }
    } finally {
      claimScheduled.set(false);
    }
    if (wakeAgain.getAndSet(false)) {
      wake();
    }
  }

  private void claimOnce() {
    int free = config.workers() - active.size();
    if (free <= 0) {
      return; // a finishing run wakes the pool
    }
    long sentAt = timer.nanoTime();
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
      FailureLog.warn(log, "claiming tasks failed; trying again in " + backoff, e);
      schedulePoll(backoff);
      return;
    }
    claimed.forEach(task -> launch(task, leaseDeadline(sentAt)));
    if (!claimed.isEmpty()) {
      env.storeChanged().run();
    }
    if (claimed.size() < free) {
      schedulePoll(config.pollInterval());
    }
  }

  private Duration errorBackoff() {
    int errors = Math.min(storeErrors.incrementAndGet(), 11);
    Duration backoff = config.pollInterval().multipliedBy(1L << (errors - 1));
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

  /**
   * When a lease granted or renewed by a call sent at {@code sentAt} may have passed, by the
   * timer's monotonic reading: its duration less a tenth, a margin for clocks running at different
   * rates on the nodes that judge its expiry.
   */
  private long leaseDeadline(long sentAt) {
    Duration lease = config.leaseDuration();
    return sentAt + lease.minus(lease.dividedBy(10)).toNanos();
  }

  /** Starts a claimed task on the executor; if that fails, gives the task back at once. */
  private void launch(TaskRecord task, long leaseDeadline) {
    TaskRun run = new TaskRun(task, env, leaseDeadline);
    active.put(run.lease(), run);
    try {
      Agent agent = config.agents().get(task.taskType());
      EngineTimer.Cancellable timeout = timer.schedule(task.timeout(), run::timeOut);
      executor.execute(() -> execute(run, agent, timeout));
    } catch (RuntimeException e) {
      log.error("could not start task {}; giving it back", task.id(), e);
      run.giveBack();
      finished(run);
    }
  }

  private void execute(TaskRun run, Agent agent, EngineTimer.Cancellable timeout) {
    try {
      run.execute(agent);
    } finally {
      timeout.cancel();
      finished(run);
    }
  }

  private void finished(TaskRun run) {
    active.remove(run.lease(), run);
    synchronized (idle) {
      idle.notifyAll();
    }
    wake();
  }

  /** Renews the leases of runs still going; ended runs have written (or lost) their outcome. */
  private void renewLeases() {
    List<LeaseRef> leases =
        active.values().stream().filter(r -> !r.isEnded()).map(TaskRun::lease).toList();
    if (leases.isEmpty()) {
      return;
    }
    long sentAt = heartbeatTimer.nanoTime();
    Instant expiry = clock.instant().plus(config.leaseDuration());
    RenewResult result = store.renew(new RenewRequest(leases, expiry));
    for (LeaseRef lease : leases) {
      TaskRun run = active.get(lease);
      if (run == null) {
        continue;
      }
      if (result.lost().contains(lease)) {
        run.lost();
        continue;
      }
      run.renewed(leaseDeadline(sentAt));
      if (result.cancelRequested().contains(lease)) {
        run.requestCancel();
      }
    }
  }

  /** Recovers the tasks of workers that stopped renewing their leases. */
  private void reclaimExpired() {
    int total = 0;
    for (int batch = 0; batch < RECLAIM_BATCHES_PER_HEARTBEAT; batch++) {
      int reclaimed =
          store.reclaimExpired(
              new ReclaimRequest(clock.instant(), RECLAIM_BATCH, config.maxLeaseLosses()));
      total += reclaimed;
      if (reclaimed < RECLAIM_BATCH) {
        break;
      }
    }
    if (total > 0) {
      log.info("recovered {} tasks whose worker stopped renewing its lease", total);
      env.storeChanged().run();
      wake();
    }
  }

  /**
   * Stops claiming (waiting for a claim pass under way, so that its tasks are launched and then
   * asked to stop too), asks running agents to stop at their next step, waits up to the grace
   * period for them, then gives the rest back to the store.
   */
  void shutdown(Duration grace) throws InterruptedException {
    claiming = false;
    synchronized (claimLock) {
      active.values().forEach(TaskRun::requestGiveBack);
    }
    try {
      awaitIdle(grace);
    } finally {
      active.values().forEach(TaskRun::giveBack);
      stopped = true;
    }
  }

  private void awaitIdle(Duration grace) throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    synchronized (idle) {
      long left;
      while (!active.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(idle, left);
      }
    }
  }
}
