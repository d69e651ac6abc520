package dev.errand;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How often and how soon a task whose run threw is run again: exponential backoff capped at a
 * maximum delay, with full jitter by default (the delay before retry n is drawn uniformly between
 * zero and {@code min(maxDelay, initialDelay * multiplier^(n-1))}), so retries of many tasks that
 * failed together spread out. After {@link #maxAttempts()} runs the task fails with its last error.
 */
public final class RetryPolicy {
  /** Runs in all, including the first, when none is set. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /** The most attempts a policy or a task may allow. */
  public static final int MAX_ATTEMPTS = 100;

  /** The cap of the first retry delay when none is set. */
  public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(1);

  /** The cap of every retry delay when none is set. */
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(5);

  /** The growth factor of the delay cap from one retry to the next when none is set. */
  public static final double DEFAULT_MULTIPLIER = 2.0;

  /** How delays are spread. */
  public enum Jitter {
    /** Uniform between zero and the capped exponential delay (the default). */
    FULL,
    /** Exactly the capped exponential delay. */
    NONE
  }

  private final int maxAttempts;
  private final Duration initialDelay;
  private final Duration maxDelay;
  private final double multiplier;
  private final Jitter jitter;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialDelay = b.initialDelay;
    this.maxDelay = b.maxDelay;
    this.multiplier = b.multiplier;
    this.jitter = b.jitter;
  }

  /** The default policy: 3 attempts, 1 s doubling up to 5 min, full jitter. */
  public static RetryPolicy defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Runs in all, including the first. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The cap of the first retry delay. */
  public Duration initialDelay() {
    return initialDelay;
  }

  /** The cap of every retry delay. */
  public Duration maxDelay() {
    return maxDelay;
  }

  /** The growth factor of the cap. */
  public double multiplier() {
    return multiplier;
  }

  /** How delays are spread. */
  public Jitter jitter() {
    return jitter;
  }

  /**
   * The delay before the run after the given failed attempt.
   *
   * @param failedAttempt the attempt that just failed, 1 for the first run
   * @param random a source of uniform values in [0, 1), used for jitter
   * @return a delay between zero and {@link #maxDelay()}
   */
  public Duration delayAfter(int failedAttempt, DoubleSupplier random) {
    if (failedAttempt < 1) {
      throw new IllegalArgumentException("failedAttempt must be at least 1, was " + failedAttempt);
    }
    double cap = initialDelay.toMillis() * Math.pow(multiplier, failedAttempt - 1.0);
    double capped = Math.min(cap, maxDelay.toMillis());
    double millis = jitter == Jitter.FULL ? capped * random.getAsDouble() : capped;
    return Duration.ofMillis((long) millis);
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts="
        + maxAttempts
        + ", initialDelay="
        + initialDelay
        + ", maxDelay="
        + maxDelay
        + ", multiplier="
        + multiplier
        + ", jitter="
        + jitter
        + "]";
  }

  /** Builds a {@link RetryPolicy}; every setter checks its value at once. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialDelay = DEFAULT_INITIAL_DELAY;
    private Duration maxDelay = DEFAULT_MAX_DELAY;
    private double multiplier = DEFAULT_MULTIPLIER;
    private Jitter jitter = Jitter.FULL;

    private Builder() {}

    /**
     * Runs in all, including the first; 1 means no retry.
     *
     * @throws IllegalArgumentException if outside 1..{@value RetryPolicy#MAX_ATTEMPTS}
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
        throw new IllegalArgumentException(
            "maxAttempts must be between 1 and " + MAX_ATTEMPTS + ", was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The cap of the first retry delay.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder initialDelay(Duration initialDelay) {
      this.initialDelay = Durations.requireNonNegative("initialDelay", initialDelay);
      return this;
    }

    /**
     * The cap of every retry delay.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = Durations.requireNonNegative("maxDelay", maxDelay);
      return this;
    }

    /**
     * The growth factor of the cap from one retry to the next.
     *
     * @throws IllegalArgumentException if below 1 or not finite
     */
    public Builder multiplier(double multiplier) {
      if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException(
            "multiplier must be a finite number of at least 1.0, was " + multiplier);
      }
      this.multiplier = multiplier;
      return this;
    }

    /** How delays are spread; {@link Jitter#FULL} by default. */
    public Builder jitter(Jitter jitter) {
      this.jitter = Objects.requireNonNull(jitter, "jitter");
      return this;
    }

    /**
     * The policy.
     *
     * @throws IllegalArgumentException if initialDelay is longer than maxDelay
     */
    public RetryPolicy build() {
      if (initialDelay.compareTo(maxDelay) > 0) {
        throw new IllegalArgumentException(
            "initialDelay ("
                + initialDelay
                + ") must not be longer than maxDelay ("
                + maxDelay
                + ")");
      }
      return new RetryPolicy(this);
    }
  }
}
