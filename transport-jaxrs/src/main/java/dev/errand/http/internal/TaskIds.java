package dev.errand.http.internal;

import java.util.Optional;
import java.util.UUID;

/** Ids on the wire: a prefix and the UUID, {@code task_<uuid>} for tasks. */
final class TaskIds {
  private static final WireIds TASKS = new WireIds("task_");

  private TaskIds() {}

  static String format(UUID id) {
    return TASKS.format(id);
  }

  /** The UUID of a wire id, or empty when it is not one (such a task cannot exist). */
  static Optional<UUID> parse(String wireId) {
    return TASKS.parse(wireId);
  }

  /** Ids with a prefix: formatted, and parsed back to the UUID when well formed. */
  record WireIds(String prefix) {
    String format(UUID id) {
      return prefix + id;
    }

    Optional<UUID> parse(String wireId) {
      if (wireId == null || !wireId.startsWith(prefix)) {
        return Optional.empty();
      }
      try {
        return Optional.of(UUID.fromString(wireId.substring(prefix.length())));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
  }
}
