package dev.errand.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.schedule.Recurrence;
import dev.errand.schedule.RecurrenceForm;
import dev.errand.schedule.Schedule;
import dev.errand.schedule.ScheduleNotFoundException;
import dev.errand.schedule.ScheduleRequest;
import dev.errand.schedule.ScheduleStatus;
import dev.errand.spi.TaskRecord;
import dev.errand.spi.TaskStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The engine's schedule operations: create (checked), list, pause, resume, delete. */
final class ScheduleBook {
  private final TaskStore store;
  private final SubmitValidator validator;
  private final Json json;
  private final Clock clock;

  ScheduleBook(TaskStore store, SubmitValidator validator, Json json, Clock clock) {
    this.store = store;
    this.validator = validator;
    this.json = json;
    this.clock = clock;
  }

  Schedule create(ScheduleRequest request) {
    Instant now = clock.instant();
    TaskRecord template = validator.toRecord(request.template(), TimeOrderedIds.next(now), now);
    JsonNode form = json.mapper().valueToTree(request.recurrence());
    Recurrence recurrence = RecurrenceForm.parse(form, "schedule");
    Schedule schedule =
        new Schedule(
            TimeOrderedIds.next(now),
            template.organizationId(),
            template.ownerId(),
            template.taskType(),
            template.priority(),
            template.input(),
            template.metadata(),
            template.webhookUrl(),
            template.timeout(),
            template.maxAttempts(),
            json.writeValue(form),
            request.overlap(),
            request.catchUpLimit(),
            ScheduleStatus.ACTIVE,
            recurrence.nextAfter(now),
            null,
            null,
            now,
            now);
    store.insertSchedule(schedule);
    return schedule;
  }

  List<Schedule> list(String organizationId, int offset, int limit) {
    if (offset < 0 || limit < 1 || limit > 1000) {
      throw new IllegalArgumentException(
          "offset must be at least 0 and limit 1 to 1000, were " + offset + ", " + limit);
    }
    return store.listSchedules(organizationId, offset, limit);
  }

  Schedule pause(UUID id) {
    return setStatus(id, ScheduleStatus.PAUSED, live(id).nextFireAt());
  }

  /** Active again from the next occurrence after now; what it missed while paused is not fired. */
  Schedule resume(UUID id) {
    Schedule s = live(id);
    if (s.status() == ScheduleStatus.ACTIVE) {
      return s;
    }
    Recurrence recurrence = RecurrenceForm.parse(json.tree(s.recurrence()), "schedule");
    return setStatus(id, ScheduleStatus.ACTIVE, recurrence.nextAfter(clock.instant()));
  }

  void delete(UUID id) {
    Schedule s = store.findSchedule(id).orElseThrow(() -> new ScheduleNotFoundException(id));
    setStatus(id, ScheduleStatus.DELETED, s.nextFireAt());
  }

  private Schedule live(UUID id) {
    return store
        .findSchedule(id)
        .filter(s -> s.status() != ScheduleStatus.DELETED)
        .orElseThrow(() -> new ScheduleNotFoundException(id));
  }

  private Schedule setStatus(UUID id, ScheduleStatus status, Instant next) {
    return store
        .setScheduleStatus(id, status, next, clock.instant())
        .orElseThrow(() -> new ScheduleNotFoundException(id));
  }
}
