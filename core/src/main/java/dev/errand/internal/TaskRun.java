package dev.errand.internal;

import dev.errand.LeaseLostException;
import dev.errand.TaskError;
import dev.errand.TaskStatus;
import dev.errand.agent.Agent;
import dev.errand.agent.AgentFailure;
import dev.errand.agent.AgentResult;
import dev.errand.spi.Checkpoint;
import dev.errand.spi.Completion;
import dev.errand.spi.LeaseRef;
import dev.errand.spi.Release;
import dev.errand.spi.TaskRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of one claimed task. Exactly one party ends a run and writes its outcome: the agent's
 * thread when the agent returns or throws, the timeout, the shutdown, or nobody when the lease was
 * lost or the task was force-cancelled (the store already says how it ended). The {@code ended}
 * flag decides who. The run also knows when its lease may have passed (by the timer's monotonic
 * reading); past that it starts nothing more, since another worker may hold the task by then.
 */
final class TaskRun {
  private static final Logger log = LoggerFactory.getLogger(TaskRun.class);

  private final TaskRecord task;
  private final RunEnv env;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile boolean cancelRequested;
  private volatile boolean giveBackRequested;
  private volatile long leaseDeadline;
  private Thread thread; // guarded by this
  private boolean inStore; // guarded by this
  private boolean interruptPending; // guarded by this

  TaskRun(TaskRecord task, RunEnv env, long leaseDeadline) {
    this.task = task;
    this.env = env;
    this.cancelRequested = task.cancelRequested();
    this.leaseDeadline = leaseDeadline;
  }

  UUID id() {
    return task.id();
  }

  TaskRecord task() {
    return task;
  }

  LeaseRef lease() {
    return new LeaseRef(task.id(), task.fence());
  }

  boolean isEnded() {
    return ended.get();
  }

  boolean isCancelRequested() {
    return cancelRequested;
  }

  boolean isGiveBackRequested() {
    return giveBackRequested;
  }

  /** Runs the agent on the calling thread and writes how the run ended. */
  void execute(Agent agent) {
    synchronized (this) {
      thread = Thread.currentThread();
    }
    try {
      if (ended.get() || leasePassed("start")) {
        return;
      }
      RunContext ctx = new RunContext(this, env, completedSteps());
      AgentResult result = agent.run(ctx);
      end(toCompletion(result));
    } catch (Throwable t) { // an agent may throw anything; the run must still end
      endWithFailure(t);
    } finally {
      synchronized (this) {
        thread = null;
        interruptPending = false;
      }
      Thread.interrupted();
    }
  }

  /** The steps of earlier runs; a task on its first claim (fence 1) has none to read. */
  private List<Checkpoint> completedSteps() {
    return task.fence() == 1 ? List.of() : inStore(() -> env.store().checkpoints(task.id()));
  }

  /** A heartbeat renewed the lease: it holds until {@code deadline} on the timer's reading. */
  void renewed(long deadline) {
    leaseDeadline = deadline;
  }

  /**
   * Whether the lease may have passed, as before a step body: then the run is marked lost (it
   * writes nothing more) and the task is left to be recovered, its lease loss counted.
   *
   * @param before what the run was about to do, for the log
   */
  boolean leasePassed(String before) {
    if (env.ticker().getAsLong() - leaseDeadline < 0) {
      return false;
    }
    if (ended.compareAndSet(false, true)) {
      log.warn(
          "task {} fence {}: its lease may have passed before it could {} (the process was paused"
              + " or its heartbeats did not get through); stopping the run",
          task.id(),
          task.fence(),
          before);
      interrupt();
    }
    return true;
  }

  void requestCancel() {
    cancelRequested = true;
  }

  void requestGiveBack() {
    giveBackRequested = true;
  }

  /** The lease is gone (expired and reclaimed, or force-cancelled): stop, write nothing. */
  void lost() {
    if (ended.compareAndSet(false, true)) {
      log.info("task {} fence {}: lease no longer held; stopping the run", task.id(), task.fence());
      interrupt();
    }
  }

  /** The run is past its deadline: fail the task with TASK_TIMEOUT and stop the agent. */
  void timeOut() {
    if (ended.compareAndSet(false, true)) {
      String message = "run exceeded its timeout of " + task.timeout();
      log.warn("task {} attempt {}: {}", task.id(), task.attempt(), message);
      write(completion(TaskStatus.FAILED, null, null, TaskError.TASK_TIMEOUT, message));
      interrupt();
    }
  }

  /** The engine is closing and the grace period is over: give the task back and stop. */
  void giveBack() {
    if (ended.compareAndSet(false, true)) {
      writeRelease(false, now(), null, null);
      interrupt();
    }
  }

  /** Marks the run lost after a refused write and returns the exception that stops the agent. */
  LeaseLostException leaseLost() {
    lost();
    return new LeaseLostException(task.id(), task.fence());
  }

  private Completion toCompletion(AgentResult result) {
    switch (result.outcome()) {
      case COMPLETED:
        return completion(
            TaskStatus.COMPLETED, env.json().write(result.result()), result.report(), null, null);
      case INCOMPLETE:
        return completion(
            TaskStatus.INCOMPLETE, env.json().write(result.result()), result.report(), null, null);
      default:
        AgentFailure f = result.failure();
        return completion(TaskStatus.FAILED, null, result.report(), f.code(), f.getMessage());
    }
  }

  private void end(Completion completion) {
    if (ended.compareAndSet(false, true)) {
      write(completion);
    }
  }

  private void endWithFailure(Throwable t) {
    if (!ended.compareAndSet(false, true)) {
      return; // lost, timed out, force-cancelled or given back: the outcome is already decided
    }
    if (giveBackRequested) {
      writeRelease(false, now(), null, null);
    } else if (cancelRequested) {
      write(completion(TaskStatus.CANCELLED, null, null, null, null));
    } else if (t instanceof AgentFailure && !((AgentFailure) t).isRetryable()) {
      write(completion(TaskStatus.FAILED, null, null, ((AgentFailure) t).code(), describe(t)));
    } else {
      retryOrFail(t);
    }
  }

  private void retryOrFail(Throwable t) {
    String code = t instanceof AgentFailure ? ((AgentFailure) t).code() : TaskError.AGENT_ERROR;
    String message = describe(t);
    if (task.attempt() >= task.maxAttempts()) {
      log.warn("task {} failed on its last attempt {}: {}", task.id(), task.attempt(), message);
      log.debug("task {}: the last attempt's failure", task.id(), t);
      write(completion(TaskStatus.FAILED, null, null, code, message));
      return;
    }
    Duration delay =
        env.retryPolicy().delayAfter(task.attempt(), ThreadLocalRandom.current()::nextDouble);
    log.info(
        "task {} attempt {} failed, retrying in {}: {}", task.id(), task.attempt(), delay, message);
    writeRelease(true, now().plus(delay), code, message);
  }

  private static String describe(Throwable t) {
    if (t instanceof AgentFailure && t.getMessage() != null) {
      return t.getMessage();
    }
    return t.getMessage() == null
        ? t.getClass().getName()
        : t.getClass().getName() + ": " + t.getMessage();
  }

  private Completion completion(
      TaskStatus status, String result, String report, String code, String message) {
    return new Completion(task.id(), task.fence(), status, result, report, code, message, now());
  }

  private void write(Completion completion) {
    try {
      if (!inStore(() -> env.completions().write(completion))) {
        log.info(
            "task {} fence {}: lease lost before the run could end it", task.id(), task.fence());
      }
      env.storeChanged().run();
    } catch (RuntimeException e) {
      FailureLog.warn(
          log,
          "task " + task.id() + ": could not store its end; it is recovered when its lease expires",
          e);
    }
  }

  private void writeRelease(boolean retry, Instant runAfter, String code, String message) {
    try {
      Release release = new Release(task.id(), task.fence(), runAfter, code, message, retry, now());
      inStore(() -> env.store().release(release));
      env.storeChanged().run();
    } catch (RuntimeException e) {
      FailureLog.warn(
          log,
          "task " + task.id() + ": could not give it back; it is recovered when its lease expires",
          e);
    }
  }

  private Instant now() {
    return env.clock().instant();
  }

  /**
   * Runs a store call with interrupts held back. An interrupt that lands inside file I/O can close
   * an embedded database for everyone (H2 closes a FileChannel that is interrupted), so a stop that
   * arrives during the call, or an interrupt flag already set, is applied after it returns.
   */
  <T> T inStore(Supplier<T> call) {
    boolean onRunThread = enterStore();
    try {
      return call.get();
    } finally {
      if (onRunThread) {
        exitStore();
      }
    }
  }

  private synchronized boolean enterStore() {
    if (thread != Thread.currentThread()) {
      return false; // a timer thread ending the run: nobody interrupts it
    }
    inStore = true;
    if (Thread.interrupted()) {
      interruptPending = true;
    }
    return true;
  }

  private synchronized void exitStore() {
    inStore = false;
    if (interruptPending) {
      interruptPending = false;
      thread.interrupt();
    }
  }

  private synchronized void interrupt() {
    if (thread == null) {
      return;
    }
    if (inStore) {
      interruptPending = true;
    } else {
      thread.interrupt();
    }
  }
}
