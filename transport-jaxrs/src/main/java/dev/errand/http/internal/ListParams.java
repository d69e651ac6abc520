package dev.errand.http.internal;

import dev.errand.InvalidField;
import dev.errand.SortOrder;
import dev.errand.TaskQuery;
import dev.errand.TaskSort;
import dev.errand.TaskStatus;
import dev.errand.TaskValidationException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The list endpoint's query string, checked: every bad parameter is reported at once, by name.
 * Parameters arrive as text so that a malformed number is a 400 naming it, not a JAX-RS 404.
 */
final class ListParams {
  /** The largest page the API serves. */
  static final int MAX_LIMIT = 100;

  private static final String STATUSES =
      "pending, processing, completed, incomplete, failed, cancelled";

  private final List<InvalidField> invalid = new ArrayList<>();

  private ListParams() {}

  /** The organization's query for these parameters (any of which may be null). */
  static TaskQuery parse(
      String organizationId,
      String status,
      String taskType,
      String limit,
      String offset,
      String sortBy,
      String sortOrder) {
    ListParams p = new ListParams();
    Set<TaskStatus> statuses = p.statuses(status);
    int pageSize = p.integer("limit", limit, TaskQuery.DEFAULT_LIMIT, 1, MAX_LIMIT);
    int from = p.integer("offset", offset, 0, 0, Integer.MAX_VALUE);
    TaskSort sort = p.sort(sortBy);
    SortOrder order = p.order(sortOrder);
    if (taskType != null && taskType.isBlank()) {
      p.invalid.add(new InvalidField("task_type", "must not be blank"));
    }
    if (!p.invalid.isEmpty()) {
      throw new TaskValidationException(p.invalid);
    }
    return TaskQuery.builder()
        .organizationId(organizationId)
        .statuses(statuses)
        .taskType(taskType)
        .limit(pageSize)
        .offset(from)
        .sort(sort, order)
        .build();
  }

  private Set<TaskStatus> statuses(String text) {
    Set<TaskStatus> out = EnumSet.noneOf(TaskStatus.class);
    if (text == null) {
      return out;
    }
    for (String word : text.split(",", -1)) {
      TaskStatus s = status(word.strip().toLowerCase(Locale.ROOT));
      if (s == null) {
        invalid.add(new InvalidField("status", "each status must be one of " + STATUSES));
        return out;
      }
      out.add(s);
    }
    return out;
  }

  private static TaskStatus status(String word) {
    if (word.equals("processing")) {
      return TaskStatus.RUNNING;
    }
    for (TaskStatus s : TaskStatus.values()) {
      if (s != TaskStatus.RUNNING && s.name().toLowerCase(Locale.ROOT).equals(word)) {
        return s;
      }
    }
    return null;
  }

  /** Another list endpoint's {@code limit} (default 20) and {@code offset}, checked together. */
  static int[] page(String limit, String offset) {
    ListParams p = new ListParams();
    int size = p.integer("limit", limit, TaskQuery.DEFAULT_LIMIT, 1, MAX_LIMIT);
    int from = p.integer("offset", offset, 0, 0, Integer.MAX_VALUE);
    if (!p.invalid.isEmpty()) {
      throw new TaskValidationException(p.invalid);
    }
    return new int[] {size, from};
  }

  private int integer(String name, String text, int absent, int min, int max) {
    if (text == null) {
      return absent;
    }
    try {
      int value = Integer.parseInt(text.strip());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    String range = max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max;
    invalid.add(new InvalidField(name, "must be a whole number " + range));
    return absent;
  }

  private TaskSort sort(String text) {
    if (text == null) {
      return TaskSort.CREATED_AT;
    }
    for (TaskSort s : TaskSort.values()) {
      if (s.name().toLowerCase(Locale.ROOT).equals(text.strip())) {
        return s;
      }
    }
    invalid.add(
        new InvalidField(
            "sort_by", "must be one of created_at, updated_at, completed_at, priority"));
    return TaskSort.CREATED_AT;
  }

  private SortOrder order(String text) {
    if (text == null) {
      return SortOrder.DESC;
    }
    switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "asc":
        return SortOrder.ASC;
      case "desc":
        return SortOrder.DESC;
      default:
        invalid.add(new InvalidField("sort_order", "must be asc or desc"));
        return SortOrder.DESC;
    }
  }
}
