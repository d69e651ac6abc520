package dev.errand.internal;

import dev.errand.SortOrder;
import dev.errand.Task;
import dev.errand.TaskQuery;
import dev.errand.TaskSort;
import dev.errand.TaskStatus;
import dev.errand.spi.TaskRecord;
import dev.errand.spi.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Estimates when a task ends from the median duration of the last completed tasks of its type, read
 * from the store at most once a minute per type.
 */
final class CompletionEstimator {
  static final int SAMPLE = 50;
  static final Duration REFRESH = Duration.ofMinutes(1);

  private record Estimate(Optional<Duration> median, Instant readAt) {}

  private final TaskStore store;
  private final Clock clock;
  private final Map<String, Estimate> byType = new ConcurrentHashMap<>();

  CompletionEstimator(TaskStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  Optional<Instant> estimate(Task task) {
    if (task.isFinal()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Optional<Duration> median = median(task.taskType(), now);
    if (task.startedAt() != null) {
      return median.map(d -> latest(task.startedAt().plus(d), now));
    }
    Instant start = latest(task.runAfter(), now);
    return median.map(start::plus);
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private Optional<Duration> median(String taskType, Instant now) {
    Estimate known = byType.get(taskType);
    if (known != null && known.readAt().plus(REFRESH).isAfter(now)) {
      return known.median();
    }
    Estimate fresh = new Estimate(read(taskType), now);
    byType.put(taskType, fresh);
    return fresh.median();
  }

  private Optional<Duration> read(String taskType) {
    TaskQuery query =
        TaskQuery.builder()
            .statuses(Set.of(TaskStatus.COMPLETED))
            .taskType(taskType)
            .sort(TaskSort.COMPLETED_AT, SortOrder.DESC)
            .limit(SAMPLE)
            .build();
    long[] millis =
        store.list(query).tasks().stream()
            .filter(r -> r.startedAt() != null && r.completedAt() != null)
            .mapToLong(CompletionEstimator::millis)
            .sorted()
            .toArray();
    if (millis.length == 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis(millis[millis.length / 2]));
  }

  private static long millis(TaskRecord r) {
    return Duration.between(r.startedAt(), r.completedAt()).toMillis();
  }
}
