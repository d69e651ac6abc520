package dev.errand.http.internal;

import java.util.Optional;
import java.util.UUID;

/** Task ids on the wire: {@code task_} and the UUID. */
final class TaskIds {
  private static final String PREFIX = "task_";

  private TaskIds() {}

  static String format(UUID id) {
    return PREFIX + id;
  }

  /** The UUID of a wire id, or empty when it is not one (such a task cannot exist). */
  static Optional<UUID> parse(String wireId) {
    if (wireId == null || !wireId.startsWith(PREFIX)) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(wireId.substring(PREFIX.length())));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
