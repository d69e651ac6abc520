package dev.errand.store.memory;

import dev.errand.SortOrder;
import dev.errand.TaskQuery;
import dev.errand.spi.TaskRecord;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;

/** The orders the store keeps and sorts tasks in. */
final class TaskOrder {
  private TaskOrder() {}

  /** Due order: earliest run-after, then id. */
  static final Comparator<TaskRecord> DUE =
      Comparator.comparing(TaskRecord::runAfter).thenComparing(TaskRecord::id);

  /**
   * The order a query asks for, ties broken by id in the same direction; tasks with no completion
   * instant sort last whichever the direction.
   */
  static Comparator<TaskRecord> of(TaskQuery query) {
    boolean asc = query.order() == SortOrder.ASC;
    Comparator<Instant> instants = asc ? Comparator.naturalOrder() : Comparator.reverseOrder();
    Comparator<TaskRecord> key =
        switch (query.sort()) {
          case CREATED_AT -> Comparator.comparing(TaskRecord::createdAt, instants);
          case UPDATED_AT -> Comparator.comparing(TaskRecord::updatedAt, instants);
          case COMPLETED_AT ->
              Comparator.comparing(TaskRecord::completedAt, Comparator.nullsLast(instants));
          case PRIORITY ->
              asc
                  ? Comparator.comparingInt(TaskRecord::priority)
                  : Comparator.comparingInt(TaskRecord::priority).reversed();
        };
    Comparator<UUID> ids = asc ? Comparator.naturalOrder() : Comparator.reverseOrder();
    return key.thenComparing(TaskRecord::id, ids);
  }
}
