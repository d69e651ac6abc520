package dev.errand.store.memory;

import dev.errand.schedule.Schedule;
import dev.errand.schedule.ScheduleStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The in-memory store's schedules. Not thread-safe: the store calls it holding its own lock. */
final class Schedules {
  private final Map<UUID, Schedule> byId = new LinkedHashMap<>();
  private final Map<UUID, Instant> heldUntil = new HashMap<>();
  private final Map<Key, UUID> byKey = new HashMap<>();

  /** An organization's idempotency key. */
  private record Key(String organizationId, String idempotencyKey) {}

  Schedule insert(Schedule s) {
    Key key = s.idempotencyKey() == null ? null : new Key(s.organizationId(), s.idempotencyKey());
    if (key != null && byKey.containsKey(key)) {
      return byId.get(byKey.get(key));
    }
    if (byId.putIfAbsent(s.id(), s) != null) {
      throw new IllegalArgumentException("schedule " + s.id() + " exists already");
    }
    if (key != null) {
      byKey.put(key, s.id());
    }
    return s;
  }

  Optional<Schedule> find(UUID id) {
    return Optional.ofNullable(byId.get(id));
  }

  List<Schedule> list(String organizationId, int offset, int limit) {
    return byId.values().stream()
        .filter(s -> s.organizationId().equals(organizationId))
        .filter(s -> s.status() != ScheduleStatus.DELETED)
        .skip(offset)
        .limit(limit)
        .toList();
  }

  List<Schedule> due(Instant now, int limit) {
    return byId.values().stream()
        .filter(s -> s.status() == ScheduleStatus.ACTIVE && !s.nextFireAt().isAfter(now))
        .filter(s -> !heldUntil.getOrDefault(s.id(), Instant.MIN).isAfter(now))
        .sorted(Comparator.comparing(Schedule::nextFireAt).thenComparing(Schedule::id))
        .limit(limit)
        .toList();
  }

  void hold(UUID id, Instant until) {
    heldUntil.put(id, until);
  }

  boolean advance(
      UUID id, Instant expectedNext, Instant next, Instant lastFire, UUID lastTask, Instant at) {
    Schedule s = byId.get(id);
    if (s == null || s.status() != ScheduleStatus.ACTIVE || !s.nextFireAt().equals(expectedNext)) {
      return false;
    }
    byId.put(id, s.advanced(next, lastFire, lastTask, at));
    return true;
  }

  Optional<Schedule> setStatus(UUID id, ScheduleStatus status, Instant next, Instant at) {
    Schedule s = byId.get(id);
    if (s == null) {
      return Optional.empty();
    }
    if (s.status() != ScheduleStatus.DELETED) {
      byId.put(id, s.withStatus(status, next, at));
    }
    return Optional.of(byId.get(id));
  }
}
