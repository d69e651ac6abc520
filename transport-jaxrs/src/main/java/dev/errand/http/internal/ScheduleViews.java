package dev.errand.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.schedule.Schedule;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** Schedules on the wire: ids {@code sched_<uuid>}, statuses and policies in lower case. */
final class ScheduleViews {
  private static final TaskIds.WireIds IDS = new TaskIds.WireIds("sched_");

  private ScheduleViews() {}

  /** A schedule as answered by POST /api/v1/tasks and the schedules endpoints. */
  record View(
      String scheduleId,
      String status,
      String taskType,
      int priority,
      JsonNode schedule,
      String overlap,
      int catchUp,
      Instant nextRunAt,
      Instant lastRunAt,
      String lastTaskId,
      Instant createdAt,
      JsonNode metadata) {}

  /** A page of schedules. */
  record Page(List<View> schedules, int offset, int limit) {}

  static View of(Schedule s) {
    return new View(
        format(s.id()),
        s.status().name().toLowerCase(Locale.ROOT),
        s.taskType(),
        s.priority(),
        tree(s.recurrence()),
        s.overlap().name().toLowerCase(Locale.ROOT),
        s.catchUpLimit(),
        s.nextFireAt(),
        s.lastFireAt(),
        s.lastTaskId() == null ? null : TaskIds.format(s.lastTaskId()),
        s.createdAt(),
        tree(s.metadata()));
  }

  static String format(UUID id) {
    return IDS.format(id);
  }

  /** The UUID of a wire id, or empty when it is not one. */
  static Optional<UUID> parse(String wireId) {
    return IDS.parse(wireId);
  }

  private static JsonNode tree(String json) {
    try {
      return WireProviders.MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("stored JSON does not parse", e);
    }
  }
}
