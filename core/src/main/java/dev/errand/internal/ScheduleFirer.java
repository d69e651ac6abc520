package dev.errand.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.errand.EngineTimer;
import dev.errand.Task;
import dev.errand.TaskRequest;
import dev.errand.schedule.OverlapPolicy;
import dev.errand.schedule.Recurrence;
import dev.errand.schedule.RecurrenceForm;
import dev.errand.schedule.Schedule;
import dev.errand.spi.TaskStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires due schedules: for each, the occurrences due by now (the latest {@code catchUpLimit} of
 * them), each as one task whose idempotency key names the schedule and the occurrence, so that
 * engines firing the same schedule at once create it once; then moves the schedule to its next
 * occurrence with a compare-and-set. The previous task still running is skipped past, waited for or
 * cancelled, as the schedule's overlap policy says.
 */
final class ScheduleFirer {
  private static final Logger log = LoggerFactory.getLogger(ScheduleFirer.class);
  private static final int BATCH = 100;

  /** How long a QUEUE schedule waits before it looks at its previous task again. */
  static final Duration WAIT = Duration.ofSeconds(5);

  /** How long a schedule that failed to fire waits before it is tried again. */
  static final Duration RETRY = Duration.ofMinutes(1);

  /** The prefix of the idempotency keys of occurrence tasks. */
  private final TaskStore store;

  private final DefaultTaskEngine engine;
  private final Json json;
  private final Clock clock;
  private final WakeableLoop loop;

  ScheduleFirer(
      TaskStore store,
      DefaultTaskEngine engine,
      Json json,
      Clock clock,
      EngineTimer timer,
      Duration pollInterval) {
    this.store = store;
    this.engine = engine;
    this.json = json;
    this.clock = clock;
    this.loop = new WakeableLoop("errand-schedules", timer, pollInterval, this::pass);
  }

  void start() {
    loop.start();
  }

  /** Stops, waiting up to {@code bound} for a pass under way; false if it was still going. */
  boolean close(Duration bound) {
    return loop.close(bound);
  }

  private void pass() {
    try {
      Instant now = clock.instant();
      List<Schedule> batch;
      do { // every due schedule: those that cannot fire now are held out of the next batches
        batch = store.dueSchedules(now, BATCH);
        for (Schedule s : batch) {
          if (!loop.isRunning()) {
            return; // closing: the rest fire at the next start
          }
          fire(s, now);
        }
      } while (batch.size() == BATCH && loop.isRunning());
    } catch (RuntimeException e) {
      FailureLog.warn(log, "firing schedules failed; trying again at the next poll", e);
    }
  }

  private void fire(Schedule s, Instant now) {
    try {
      Recurrence recurrence = RecurrenceForm.parse(json.tree(s.recurrence()), "recurrence");
      Instant next = recurrence.nextAfter(now);
      UUID lastTask = s.lastTaskId();
      Optional<Task> previous = lastTask == null ? Optional.empty() : engine.find(lastTask);
      if (previous.isPresent() && !previous.get().status().isFinal()) {
        if (s.overlap() == OverlapPolicy.QUEUE) {
          store.holdSchedule(s.id(), now.plus(WAIT)); // due again once the previous task ends
          return;
        }
        if (s.overlap() == OverlapPolicy.SKIP) {
          store.advanceSchedule(s.id(), s.nextFireAt(), next, s.lastFireAt(), lastTask, now);
          return;
        }
        engine.cancel(lastTask, "superseded by the schedule's next occurrence", false);
      }
      Instant lastFire = s.lastFireAt();
      for (Instant at : dueOccurrences(s, recurrence, now)) {
        lastTask = engine.submitOccurrence(occurrence(s, at)).id();
        lastFire = at;
      }
      if (!store.advanceSchedule(s.id(), s.nextFireAt(), next, lastFire, lastTask, now)) {
        // another engine fired this occurrence first (our submits found its tasks by their keys),
        // or the schedule was paused or deleted meanwhile
        log.debug("schedule {}: moved on by someone else", s.id());
      }
    } catch (RuntimeException e) {
      FailureLog.warn(log, "schedule " + s.id() + ": firing failed; trying again in " + RETRY, e);
      store.holdSchedule(s.id(), now.plus(RETRY));
    }
  }

  /**
   * The latest {@code catchUpLimit} occurrences from the schedule's next one up to now. They are
   * looked for in a window before now that doubles until it holds enough or reaches the next one,
   * so a long downtime costs about as much as the occurrences kept, not all that were missed.
   */
  static Deque<Instant> dueOccurrences(Schedule s, Recurrence recurrence, Instant now) {
    Instant earliest = s.nextFireAt();
    for (Duration window = Duration.ofMinutes(1); ; window = window.multipliedBy(2)) {
      Instant from = now.minus(window);
      boolean reachesEarliest = !from.isAfter(earliest);
      Deque<Instant> due = new ArrayDeque<>();
      Instant t = reachesEarliest ? earliest : recurrence.nextAfter(from);
      for (; !t.isAfter(now); t = recurrence.nextAfter(t)) {
        due.addLast(t);
        if (due.size() > s.catchUpLimit()) {
          due.removeFirst();
        }
      }
      if (reachesEarliest || due.size() >= s.catchUpLimit()) {
        return due;
      }
    }
  }

  private TaskRequest occurrence(Schedule s, Instant at) {
    ObjectNode metadata = (ObjectNode) json.tree(s.metadata()).deepCopy();
    metadata.put("schedule_id", s.id().toString()).put("scheduled_for", at.toString());
    JsonNode input = json.tree(s.input());
    TaskRequest.Builder b =
        TaskRequest.builder(s.taskType())
            .organizationId(s.organizationId())
            .ownerId(s.ownerId())
            .priority(s.priority())
            .timeout(s.timeout())
            .maxAttempts(s.maxAttempts())
            .input(input)
            .metadata(metadata)
            .idempotencyKey(SubmitValidator.RESERVED_KEY_PREFIX + s.id() + ":" + at);
    if (s.webhookUrl() != null) {
      b.webhookUrl(URI.create(s.webhookUrl()));
    }
    return b.build();
  }
}
