package dev.errand;

import java.util.Objects;
import java.util.Set;

/**
 * Filters, order and page of a task list. An empty status set and a {@code null} type or
 * organization match everything.
 *
 * @param statuses the statuses to include; empty for all
 * @param taskType the only type to include, or {@code null}
 * @param organizationId the only organization to include, or {@code null}
 * @param sort the field to sort by
 * @param order the sort direction
 * @param offset how many matching tasks to skip, at least 0
 * @param limit the page size, 1 to {@link #MAX_LIMIT}
 */
public record TaskQuery(
    Set<TaskStatus> statuses,
    String taskType,
    String organizationId,
    TaskSort sort,
    SortOrder order,
    int offset,
    int limit) {
  /** The page size when none is given. */
  public static final int DEFAULT_LIMIT = 20;

  /** The largest page size. */
  public static final int MAX_LIMIT = 1000;

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if offset is negative or limit is outside 1..{@value
   *     #MAX_LIMIT}
   */
  public TaskQuery {
    statuses = Set.copyOf(Objects.requireNonNull(statuses, "statuses"));
    Objects.requireNonNull(sort, "sort");
    Objects.requireNonNull(order, "order");
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be at least 0, was " + offset);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
  }

  /** A query for the first page of all tasks, newest first. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link TaskQuery}; every setter is optional. */
  public static final class Builder {
    private Set<TaskStatus> statuses = Set.of();
    private String taskType;
    private String organizationId;
    private TaskSort sort = TaskSort.CREATED_AT;
    private SortOrder order = SortOrder.DESC;
    private int offset;
    private int limit = DEFAULT_LIMIT;

    private Builder() {}

    /** Only tasks in one of these statuses. */
    public Builder statuses(Set<TaskStatus> statuses) {
      this.statuses = Objects.requireNonNull(statuses, "statuses");
      return this;
    }

    /** Only tasks of this type. */
    public Builder taskType(String taskType) {
      this.taskType = taskType;
      return this;
    }

    /** Only tasks of this organization. */
    public Builder organizationId(String organizationId) {
      this.organizationId = organizationId;
      return this;
    }

    /** Sort by this field in this direction. */
    public Builder sort(TaskSort sort, SortOrder order) {
      this.sort = Objects.requireNonNull(sort, "sort");
      this.order = Objects.requireNonNull(order, "order");
      return this;
    }

    /** Skip this many matching tasks. */
    public Builder offset(int offset) {
      this.offset = offset;
      return this;
    }

    /** Return at most this many tasks. */
    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    /**
     * The query.
     *
     * @throws IllegalArgumentException if offset or limit is out of range
     */
    public TaskQuery build() {
      return new TaskQuery(statuses, taskType, organizationId, sort, order, offset, limit);
    }
  }
}
