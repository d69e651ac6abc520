package dev.errand.http;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Request limits per organization and endpoint, each an hourly quota with a per-minute burst limit.
 * The defaults are the task API document's: submit 100 an hour and 10 a minute, list 1000 and 50,
 * get one task 500 and 25; other endpoints (cancel, results, WebSocket tokens) 500 and 25. A
 * request over a limit is answered 429 RATE_LIMIT_EXCEEDED with Retry-After. Immutable.
 *
 * <p>Sign-in is not limited here but by {@link LoginLimits}, which counts failures per username and
 * client address. The groups {@code LOGIN} and {@code LOGIN_TOTAL} that were here took every
 * attempt from a bucket per username and one for all, before the password was checked, so anyone
 * could lock a user (or everyone) out by failing on purpose; they are gone.
 */
public final class RateLimits {
  /** The groups of endpoints that are limited separately. */
  public enum Endpoint {
    /** POST /api/v1/tasks and POST /api/v1/agent-task. */
    SUBMIT_TASK,
    /** GET /api/v1/tasks. */
    LIST_TASKS,
    /** GET /api/v1/tasks/{id} and GET /api/v1/agent-task/{id}. */
    GET_TASK,
    /** Every other endpoint that needs authentication. */
    OTHER
  }

  /**
   * An hourly quota and a per-minute burst limit.
   *
   * @param perHour requests an hour, at least 1
   * @param perMinute requests a minute, 1 to perHour
   */
  public record Limit(int perHour, int perMinute) {
    /**
     * @throws IllegalArgumentException if a value is out of range
     */
    public Limit {
      if (perHour < 1) {
        throw new IllegalArgumentException("perHour must be at least 1, was " + perHour);
      }
      if (perMinute < 1 || perMinute > perHour) {
        throw new IllegalArgumentException(
            "perMinute must be between 1 and perHour (" + perHour + "), was " + perMinute);
      }
    }
  }

  private final Map<Endpoint, Limit> limits;

  private RateLimits(Map<Endpoint, Limit> limits) {
    this.limits = limits;
  }

  /** The document's limits. */
  public static RateLimits defaults() {
    Map<Endpoint, Limit> m = new EnumMap<>(Endpoint.class);
    m.put(Endpoint.SUBMIT_TASK, new Limit(100, 10));
    m.put(Endpoint.LIST_TASKS, new Limit(1000, 50));
    m.put(Endpoint.GET_TASK, new Limit(500, 25));
    m.put(Endpoint.OTHER, new Limit(500, 25));
    return new RateLimits(m);
  }

  /** No limits, for hosts that limit requests elsewhere. */
  public static RateLimits unlimited() {
    return new RateLimits(new EnumMap<>(Endpoint.class));
  }

  /** These limits with {@code endpoint} limited by {@code limit} instead. */
  public RateLimits with(Endpoint endpoint, Limit limit) {
    Map<Endpoint, Limit> m = new EnumMap<>(Endpoint.class);
    m.putAll(limits);
    m.put(Objects.requireNonNull(endpoint, "endpoint"), Objects.requireNonNull(limit, "limit"));
    return new RateLimits(m);
  }

  /** These limits with {@code endpoint} not limited. */
  public RateLimits without(Endpoint endpoint) {
    Map<Endpoint, Limit> m = new EnumMap<>(Endpoint.class);
    m.putAll(limits);
    m.remove(Objects.requireNonNull(endpoint, "endpoint"));
    return new RateLimits(m);
  }

  /** The limit of an endpoint group, or empty when it is not limited. */
  public Optional<Limit> limit(Endpoint endpoint) {
    return Optional.ofNullable(limits.get(endpoint));
  }
}
