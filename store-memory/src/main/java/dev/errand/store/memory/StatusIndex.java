package dev.errand.store.memory;

import dev.errand.SortOrder;
import dev.errand.TaskQuery;
import dev.errand.TaskSort;
import dev.errand.TaskStatus;
import dev.errand.spi.StoredPage;
import dev.errand.spi.TaskRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Function;

/**
 * The ids of each status's tasks in creation order, so that a page of a status-filtered list by
 * creation time reads about as many tasks as it returns, however many are stored. Written under the
 * store's lock; read without it, like the store's map.
 */
final class StatusIndex {
  private record Key(Instant createdAt, UUID id) implements Comparable<Key> {
    private static final Comparator<Key> ORDER =
        Comparator.comparing(Key::createdAt).thenComparing(Key::id);

    @Override
    public int compareTo(Key other) {
      return ORDER.compare(this, other);
    }
  }

  private final Map<TaskStatus, ConcurrentSkipListSet<Key>> byStatus =
      new EnumMap<>(TaskStatus.class);

  StatusIndex() {
    for (TaskStatus s : TaskStatus.values()) {
      byStatus.put(s, new ConcurrentSkipListSet<>());
    }
  }

  /**
   * Follows a task into its new status ({@code before} is {@code null} for a new task). The id is
   * added to the new status before it leaves the old one, so a reader never misses it.
   */
  void moved(TaskRecord before, TaskRecord after) {
    if (before != null && before.status() == after.status()) {
      return;
    }
    Key key = new Key(after.createdAt(), after.id());
    byStatus.get(after.status()).add(key);
    if (before != null) {
      byStatus.get(before.status()).remove(key);
    }
  }

  /** Whether {@link #page} answers this query: statuses given, sorted by creation time. */
  static boolean serves(TaskQuery query) {
    return !query.statuses().isEmpty() && query.sort() == TaskSort.CREATED_AT;
  }

  /**
   * A page of a query it {@link #serves}: the first offset + limit matches of each status, merged.
   * The total is the statuses' sizes when only statuses are filtered, else a count of the matches.
   */
  StoredPage page(TaskQuery query, Function<UUID, TaskRecord> current) {
    int keep = query.offset() + query.limit();
    boolean onlyStatuses = query.taskType() == null && query.organizationId() == null;
    Map<UUID, TaskRecord> firsts = new LinkedHashMap<>();
    long counted = 0;
    long stored = 0;
    for (TaskStatus status : query.statuses()) {
      NavigableSet<Key> keys = byStatus.get(status);
      int taken = 0;
      for (Key key : query.order() == SortOrder.ASC ? keys : keys.descendingSet()) {
        if (onlyStatuses && taken == keep) {
          break;
        }
        TaskRecord r = current.apply(key.id());
        if (r != null && matches(query, r)) {
          counted++;
          if (taken < keep) {
            firsts.putIfAbsent(r.id(), r);
            taken++;
          }
        }
      }
      stored += keys.size();
    }
    long total = onlyStatuses ? stored : counted;
    List<TaskRecord> sorted = new ArrayList<>(firsts.values());
    sorted.sort(TaskOrder.of(query));
    List<TaskRecord> window = sorted.subList(0, Math.min(keep, sorted.size()));
    return new StoredPage(
        window.subList(Math.min(query.offset(), window.size()), window.size()), total);
  }

  /** Whether a task passes the query's filters. */
  static boolean matches(TaskQuery query, TaskRecord r) {
    return (query.statuses().isEmpty() || query.statuses().contains(r.status()))
        && (query.taskType() == null || query.taskType().equals(r.taskType()))
        && (query.organizationId() == null || query.organizationId().equals(r.organizationId()));
  }
}
