package dev.errand.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@code POST /auth/login} holds off password guessing without letting anyone lock a user out.
 * Failures are counted per username and source (the client's address, see {@link
 * ErrandFeature#CLIENT_ADDRESS_PROPERTY}), per source, and per username; successes are never
 * limited by the failures of others.
 *
 * <ul>
 *   <li><b>Per username and source</b>: after {@link Builder#failuresBeforeDelay} failures, the
 *       next attempt waits {@link Builder#delays first} after the last failure, twice as long after
 *       each further failure, up to {@code max}.
 *   <li><b>Per source</b>, all usernames together: the same growing delays after {@link
 *       Builder#sourceFailuresBeforeDelay} failures; after {@link
 *       Builder#sourceFailuresBeforeRefusal} the source is refused until its failures are
 *       forgotten.
 *   <li><b>Per username</b>, all sources together, a soft limit: after {@link
 *       Builder#usernameFailuresBeforeDelay} failures, growing delays apply to sources that have
 *       failed themselves and have not signed in as that user lately. A source without failures is
 *       never held back by failures from elsewhere, so a user's right password gets in while others
 *       guess it.
 *   <li><b>Password checks</b>: at most {@link Builder#concurrentChecks} {@link CredentialCheck}s
 *       run at once, so slow password hashes cannot take all the processors. A source without
 *       failures waits up to {@link Builder#checkWait} for its turn; a source with failures never
 *       waits, and gets one only if half of them (rounded down) stay free for sources without
 *       failures, so failing sources are turned away first.
 * </ul>
 *
 * <p>An attempt held back is answered 429 RATE_LIMIT_EXCEEDED with Retry-After before its password
 * is checked; one that finds every check busy, 503 INSUFFICIENT_RESOURCES with Retry-After. A
 * success clears the failures of its username and source. Failures are forgotten {@link
 * Builder#forgetAfter} after the last one; the counts are kept in memory, bounded, per feature.
 *
 * <p>Without a client address every request comes from the one source {@code unknown}: the limits
 * per source and per username then cannot apply (they would hold back everyone), and the delays per
 * username and source become delays per username for all clients, so failures from anyone delay a
 * user's sign-in. Give the feature the client's address.
 *
 * <p>Immutable and thread-safe.
 */
public final class LoginLimits {
  /** Failures of a username from one source before its attempts are delayed: 3. */
  public static final int DEFAULT_FAILURES_BEFORE_DELAY = 3;

  /** Failures from one source, all usernames together, before its attempts are delayed: 10. */
  public static final int DEFAULT_SOURCE_FAILURES_BEFORE_DELAY = 10;

  /** Failures from one source before it is refused until they are forgotten: 20. */
  public static final int DEFAULT_SOURCE_FAILURES_BEFORE_REFUSAL = 20;

  /** Failures of a username, all sources together, before failing sources are delayed: 10. */
  public static final int DEFAULT_USERNAME_FAILURES_BEFORE_DELAY = 10;

  /** The first delay, doubled per further failure: 1 s. */
  public static final Duration DEFAULT_FIRST_DELAY = Duration.ofSeconds(1);

  /** The longest delay: 15 minutes. */
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(15);

  /** How long failures are remembered after the last one: 1 hour. */
  public static final Duration DEFAULT_FORGET_AFTER = Duration.ofHours(1);

  /** Password checks running at once: 2. */
  public static final int DEFAULT_CONCURRENT_CHECKS = 2;

  /** How long a source without failures waits for a password check: 2 s. */
  public static final Duration DEFAULT_CHECK_WAIT = Duration.ofSeconds(2);

  private static final LoginLimits UNLIMITED =
      new LoginLimits(
          Integer.MAX_VALUE,
          Integer.MAX_VALUE,
          Integer.MAX_VALUE,
          Integer.MAX_VALUE,
          DEFAULT_FIRST_DELAY,
          DEFAULT_MAX_DELAY,
          DEFAULT_FORGET_AFTER,
          Integer.MAX_VALUE,
          DEFAULT_CHECK_WAIT);

  private final int failuresBeforeDelay;
  private final int sourceFailuresBeforeDelay;
  private final int sourceFailuresBeforeRefusal;
  private final int usernameFailuresBeforeDelay;
  private final Duration firstDelay;
  private final Duration maxDelay;
  private final Duration forgetAfter;
  private final int concurrentChecks;
  private final Duration checkWait;

  private LoginLimits(
      int failuresBeforeDelay,
      int sourceFailuresBeforeDelay,
      int sourceFailuresBeforeRefusal,
      int usernameFailuresBeforeDelay,
      Duration firstDelay,
      Duration maxDelay,
      Duration forgetAfter,
      int concurrentChecks,
      Duration checkWait) {
    this.failuresBeforeDelay = failuresBeforeDelay;
    this.sourceFailuresBeforeDelay = sourceFailuresBeforeDelay;
    this.sourceFailuresBeforeRefusal = sourceFailuresBeforeRefusal;
    this.usernameFailuresBeforeDelay = usernameFailuresBeforeDelay;
    this.firstDelay = firstDelay;
    this.maxDelay = maxDelay;
    this.forgetAfter = forgetAfter;
    this.concurrentChecks = concurrentChecks;
    this.checkWait = checkWait;
  }

  /** The defaults above. */
  public static LoginLimits defaults() {
    return builder().build();
  }

  /**
   * No limits and no bound on concurrent password checks, for hosts that guard sign-in elsewhere (a
   * gateway that limits it per address, say): every count is {@link Integer#MAX_VALUE}.
   */
  public static LoginLimits unlimited() {
    return UNLIMITED;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Failures of a username from one source before its attempts are delayed. */
  public int failuresBeforeDelay() {
    return failuresBeforeDelay;
  }

  /** Failures from one source before its attempts are delayed. */
  public int sourceFailuresBeforeDelay() {
    return sourceFailuresBeforeDelay;
  }

  /** Failures from one source before it is refused until they are forgotten. */
  public int sourceFailuresBeforeRefusal() {
    return sourceFailuresBeforeRefusal;
  }

  /** Failures of a username from all sources before sources that failed are delayed. */
  public int usernameFailuresBeforeDelay() {
    return usernameFailuresBeforeDelay;
  }

  /** The first delay. */
  public Duration firstDelay() {
    return firstDelay;
  }

  /** The longest delay. */
  public Duration maxDelay() {
    return maxDelay;
  }

  /** How long failures are remembered after the last one. */
  public Duration forgetAfter() {
    return forgetAfter;
  }

  /** Password checks running at once. */
  public int concurrentChecks() {
    return concurrentChecks;
  }

  /** How long a source without failures waits for a password check. */
  public Duration checkWait() {
    return checkWait;
  }

  @Override
  public String toString() {
    if (this == UNLIMITED) {
      return "LoginLimits[unlimited]";
    }
    return "LoginLimits[failuresBeforeDelay="
        + failuresBeforeDelay
        + ", sourceFailuresBeforeDelay="
        + sourceFailuresBeforeDelay
        + ", sourceFailuresBeforeRefusal="
        + sourceFailuresBeforeRefusal
        + ", usernameFailuresBeforeDelay="
        + usernameFailuresBeforeDelay
        + ", delays="
        + firstDelay
        + ".."
        + maxDelay
        + ", forgetAfter="
        + forgetAfter
        + ", concurrentChecks="
        + concurrentChecks
        + ", checkWait="
        + checkWait
        + "]";
  }

  /** Configures {@link LoginLimits}, starting from the defaults. Not thread-safe. */
  public static final class Builder {
    private int failuresBeforeDelay = DEFAULT_FAILURES_BEFORE_DELAY;
    private int sourceFailuresBeforeDelay = DEFAULT_SOURCE_FAILURES_BEFORE_DELAY;
    private int sourceFailuresBeforeRefusal = DEFAULT_SOURCE_FAILURES_BEFORE_REFUSAL;
    private int usernameFailuresBeforeDelay = DEFAULT_USERNAME_FAILURES_BEFORE_DELAY;
    private Duration firstDelay = DEFAULT_FIRST_DELAY;
    private Duration maxDelay = DEFAULT_MAX_DELAY;
    private Duration forgetAfter = DEFAULT_FORGET_AFTER;
    private int concurrentChecks = DEFAULT_CONCURRENT_CHECKS;
    private Duration checkWait = DEFAULT_CHECK_WAIT;

    private Builder() {}

    /**
     * Failures of a username from one source answered without delay, 1 to 1000; default {@value
     * LoginLimits#DEFAULT_FAILURES_BEFORE_DELAY}.
     *
     * @throws IllegalArgumentException if out of range
     */
    public Builder failuresBeforeDelay(int failures) {
      this.failuresBeforeDelay = count("failuresBeforeDelay", failures);
      return this;
    }

    /**
     * Failures from one source, all usernames together, answered without delay, 1 to 1000; default
     * {@value LoginLimits#DEFAULT_SOURCE_FAILURES_BEFORE_DELAY}.
     *
     * @throws IllegalArgumentException if out of range
     */
    public Builder sourceFailuresBeforeDelay(int failures) {
      this.sourceFailuresBeforeDelay = count("sourceFailuresBeforeDelay", failures);
      return this;
    }

    /**
     * Failures from one source after which it is refused until they are forgotten, 1 to 1000;
     * default {@value LoginLimits#DEFAULT_SOURCE_FAILURES_BEFORE_REFUSAL}.
     *
     * @throws IllegalArgumentException if out of range
     */
    public Builder sourceFailuresBeforeRefusal(int failures) {
      this.sourceFailuresBeforeRefusal = count("sourceFailuresBeforeRefusal", failures);
      return this;
    }

    /**
     * Failures of a username, all sources together, after which sources that have failed themselves
     * are delayed, 1 to 1000; default {@value LoginLimits#DEFAULT_USERNAME_FAILURES_BEFORE_DELAY}.
     *
     * @throws IllegalArgumentException if out of range
     */
    public Builder usernameFailuresBeforeDelay(int failures) {
      this.usernameFailuresBeforeDelay = count("usernameFailuresBeforeDelay", failures);
      return this;
    }

    /**
     * The first delay, 1 ms to {@code max}, doubled per further failure up to {@code max}, at most
     * a day; defaults {@link LoginLimits#DEFAULT_FIRST_DELAY} and {@link
     * LoginLimits#DEFAULT_MAX_DELAY}.
     *
     * @throws IllegalArgumentException if out of range
     */
    public Builder delays(Duration first, Duration max) {
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(max, "max");
      if (first.compareTo(Duration.ofMillis(1)) < 0 || first.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            "first delay must be between 1 ms and max (" + max + "), was " + first);
      }
      if (max.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("max delay must be at most a day, was " + max);
      }
      this.firstDelay = first;
      this.maxDelay = max;
      return this;
    }

    /**
     * How long failures are remembered after the last one, 1 minute to 30 days; default {@link
     * LoginLimits#DEFAULT_FORGET_AFTER}. A refused source is refused this long after its last
     * failure.
     *
     * @throws IllegalArgumentException if out of range
     */
    public Builder forgetAfter(Duration forgetAfter) {
      Objects.requireNonNull(forgetAfter, "forgetAfter");
      if (forgetAfter.compareTo(Duration.ofMinutes(1)) < 0
          || forgetAfter.compareTo(Duration.ofDays(30)) > 0) {
        throw new IllegalArgumentException(
            "forgetAfter must be between 1 minute and 30 days, was " + forgetAfter);
      }
      this.forgetAfter = forgetAfter;
      return this;
    }

    /**
     * Password checks running at once, 1 to 256; default {@value
     * LoginLimits#DEFAULT_CONCURRENT_CHECKS}. About half the processors suits slow hashes.
     *
     * @throws IllegalArgumentException if out of range
     */
    public Builder concurrentChecks(int checks) {
      if (checks < 1 || checks > 256) {
        throw new IllegalArgumentException(
            "concurrentChecks must be between 1 and 256, was " + checks);
      }
      this.concurrentChecks = checks;
      return this;
    }

    /**
     * How long an attempt from a source without failures waits for a password check, 0 to 30 s;
     * default {@link LoginLimits#DEFAULT_CHECK_WAIT}.
     *
     * @throws IllegalArgumentException if out of range
     */
    public Builder checkWait(Duration wait) {
      Objects.requireNonNull(wait, "wait");
      if (wait.isNegative() || wait.compareTo(Duration.ofSeconds(30)) > 0) {
        throw new IllegalArgumentException("checkWait must be between 0 and 30 s, was " + wait);
      }
      this.checkWait = wait;
      return this;
    }

    /**
     * The limits.
     *
     * @throws IllegalStateException if a source is refused before its attempts are delayed
     */
    public LoginLimits build() {
      if (sourceFailuresBeforeRefusal < sourceFailuresBeforeDelay) {
        throw new IllegalStateException(
            "sourceFailuresBeforeRefusal ("
                + sourceFailuresBeforeRefusal
                + ") must be at least sourceFailuresBeforeDelay ("
                + sourceFailuresBeforeDelay
                + ")");
      }
      return new LoginLimits(
          failuresBeforeDelay,
          sourceFailuresBeforeDelay,
          sourceFailuresBeforeRefusal,
          usernameFailuresBeforeDelay,
          firstDelay,
          maxDelay,
          forgetAfter,
          concurrentChecks,
          checkWait);
    }

    private static int count(String name, int value) {
      if (value < 1 || value > 1000) {
        throw new IllegalArgumentException(name + " must be between 1 and 1000, was " + value);
      }
      return value;
    }
  }
}
