package dev.errand.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.InvalidField;
import dev.errand.TaskRequest;
import dev.errand.TaskValidationException;
import dev.errand.schedule.Recurrence;
import dev.errand.schedule.RecurrenceForm;
import dev.errand.schedule.Schedule;
import dev.errand.schedule.ScheduleNotFoundException;
import dev.errand.schedule.ScheduleRequest;
import dev.errand.schedule.ScheduleStatus;
import dev.errand.spi.TaskRecord;
import dev.errand.spi.TaskStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The engine's schedule operations: create (checked), list, pause, resume, delete. */
final class ScheduleBook {
  /** The longest stored schedule form, in characters of JSON. */
  static final int MAX_FORM_LENGTH = 2000;

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

  /**
   * A new schedule, or, for a template with an idempotency key, the organization's schedule made
   * with that key before. Every new schedule gets a random time-ordered id: an id derived from the
   * organization and key would be known to anyone who knows both.
   */
  Schedule create(ScheduleRequest request) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS); // as databases keep it
    refuseUnkeptFields(request.template());
    TaskRecord template = validator.toRecord(request.template(), TimeOrderedIds.next(now), now);
    JsonNode form = json.mapper().valueToTree(request.recurrence());
    Recurrence recurrence = RecurrenceForm.parse(form, "schedule");
    String formText = json.writeValue(form);
    if (formText.length() > MAX_FORM_LENGTH) {
      throw new TaskValidationException(
          List.of(
              new InvalidField(
                  "schedule", "must be at most " + MAX_FORM_LENGTH + " characters of JSON")));
    }
    if (template.idempotencyKey() != null) {
      Optional<Schedule> earlier = store.findSchedule(derivedId(template));
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }
    return store.insertSchedule(
        new Schedule(
            TimeOrderedIds.next(now),
            template.organizationId(),
            template.ownerId(),
            template.idempotencyKey(),
            template.taskType(),
            template.priority(),
            template.input(),
            template.metadata(),
            template.webhookUrl(),
            template.timeout(),
            template.maxAttempts(),
            formText,
            request.overlap(),
            request.catchUpLimit(),
            ScheduleStatus.ACTIVE,
            recurrence.nextAfter(now),
            null,
            null,
            now,
            now));
  }

  /**
   * The id a keyed schedule was given before schedules kept their key (from organization and key):
   * such a schedule, stored without its key, still answers a repeated request.
   */
  private static UUID derivedId(TaskRecord template) {
    return UUID.nameUUIDFromBytes(
        ("schedule\n" + template.organizationId() + "\n" + template.idempotencyKey())
            .getBytes(StandardCharsets.UTF_8));
  }

  /** Template fields a schedule does not keep, refused rather than dropped. */
  private static void refuseUnkeptFields(TaskRequest template) {
    List<InvalidField> bad = new ArrayList<>();
    String why = "is not kept by a schedule; each occurrence runs when it fires";
    if (template.runAfter() != null) {
      bad.add(new InvalidField("runAfter", why));
    }
    if (template.delay() != null) {
      bad.add(new InvalidField("delay", why));
    }
    if (template.skillRef() != null) {
      bad.add(new InvalidField("skillRef", "is not kept by a schedule yet"));
    }
    if (template.model() != null) {
      bad.add(new InvalidField("model", "is not kept by a schedule yet"));
    }
    if (!bad.isEmpty()) {
      throw new TaskValidationException(bad);
    }
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
    setStatus(id, ScheduleStatus.DELETED, live(id).nextFireAt());
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
