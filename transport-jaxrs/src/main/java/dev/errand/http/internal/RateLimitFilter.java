package dev.errand.http.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.errand.http.Caller;
import dev.errand.http.RateLimits;
import dev.errand.http.RateLimits.Endpoint;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Applies {@link RateLimits} per organization and endpoint group with token buckets kept in a
 * bounded cache, and reports the burst limit in RateLimit-Limit, RateLimit-Remaining and
 * RateLimit-Reset headers; over a limit, 429 with Retry-After. Runs after authentication.
 */
@Priority(Priorities.AUTHORIZATION)
public final class RateLimitFilter implements ContainerRequestFilter, ContainerResponseFilter {
  private static final String PROPERTY = "dev.errand.http.rateLimit";

  private record Key(String organization, Endpoint endpoint) {}

  /** What to report in the headers. */
  record State(int limit, long remaining, long resetSeconds) {}

  private final RateLimits limits;
  private final TimeMeter time;
  @Context private ResourceInfo resource;
  private final Cache<Key, Bucket> buckets =
      Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(2)).maximumSize(100_000).build();

  public RateLimitFilter(RateLimits limits, Clock clock) {
    this.limits = limits;
    this.time = new ClockTime(clock);
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (!(request.getSecurityContext().getUserPrincipal() instanceof Caller caller)) {
      return; // an open endpoint
    }
    Taken taken = take(caller.organizationId(), Routes.limitGroup(resource));
    if (taken != null) {
      request.setProperty(PROPERTY, taken.state());
      taken.refuseIfOver();
    }
  }

  /**
   * Takes one request of the organization from its bucket for the endpoint group.
   *
   * @return what was taken, or null when the group is not limited
   */
  private Taken take(String organization, Endpoint endpoint) {
    RateLimits.Limit limit = limits.limit(endpoint).orElse(null);
    if (limit == null) {
      return null;
    }
    Bucket bucket = buckets.get(new Key(organization, endpoint), k -> bucket(limit));
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    State state =
        new State(
            limit.perMinute(), probe.getRemainingTokens(), seconds(probe.getNanosToWaitForReset()));
    long retryAfter =
        probe.isConsumed() ? 0 : Math.max(1, seconds(probe.getNanosToWaitForRefill()));
    return new Taken(limit, state, retryAfter);
  }

  /** One request taken from a bucket, or refused when {@code retryAfter} is above zero. */
  record Taken(RateLimits.Limit limit, State state, long retryAfter) {
    /**
     * @throws ApiException 429 RATE_LIMIT_EXCEEDED with Retry-After when the bucket was empty
     */
    void refuseIfOver() {
      if (retryAfter == 0) {
        return;
      }
      throw new ApiException(
          429,
          "RATE_LIMIT_EXCEEDED",
          "too many requests to this endpoint; retry after " + retryAfter + " s",
          Map.of(
              "limit_per_hour", limit.perHour(),
              "limit_per_minute", limit.perMinute(),
              "retry_after_seconds", retryAfter),
          Map.of("Retry-After", Long.toString(retryAfter)));
    }
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getProperty(PROPERTY) instanceof State s) {
      response.getHeaders().putSingle("RateLimit-Limit", s.limit());
      response.getHeaders().putSingle("RateLimit-Remaining", s.remaining());
      response.getHeaders().putSingle("RateLimit-Reset", s.resetSeconds());
    }
  }

  private Bucket bucket(RateLimits.Limit limit) {
    return Bucket.builder()
        .addLimit(
            b -> b.capacity(limit.perHour()).refillGreedy(limit.perHour(), Duration.ofHours(1)))
        .addLimit(
            b ->
                b.capacity(limit.perMinute())
                    .refillGreedy(limit.perMinute(), Duration.ofMinutes(1)))
        .withCustomTimePrecision(time)
        .build();
  }

  private static long seconds(long nanos) {
    return (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
  }

  /** Bucket time from the injected clock, so tests move it. */
  private record ClockTime(Clock clock) implements TimeMeter {
    @Override
    public long currentTimeNanos() {
      Instant now = clock.instant();
      return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    }

    @Override
    public boolean isWallClockBased() {
      return true;
    }
  }
}
