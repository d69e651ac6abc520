package dev.errand.http.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.errand.http.LoginLimits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link LoginLimits} to sign-in: decides, before a password is checked, whether the
 * attempt may be checked now, bounds the checks running at once, and counts the failures. Failures
 * are kept per username and source, per source and per username in bounded caches, and read with
 * the feature's clock (a count older than {@code forgetAfter} is gone), so tests move time instead
 * of waiting. Thread-safe.
 */
final class LoginGuard {
  private static final Logger log = LoggerFactory.getLogger(LoginGuard.class);

  /** How long a source that signed in as a user stays familiar for that user. */
  static final Duration FAMILIAR_FOR = Duration.ofDays(30);

  private static final int MAX_ENTRIES = 100_000;

  /** A username (lower case) from a source. */
  private record Key(String username, String source, boolean known) {}

  /** The failures of a key and when the last one happened. */
  private record Failures(int count, Instant last) {}

  private final LoginLimits limits;
  private final Clock clock;
  private final Semaphore checks;
  private final int reserved;
  private final int maxWaiting;
  private final Cache<Key, Failures> pairs;
  private final Cache<String, Failures> sources;
  private final Cache<String, Failures> usernames;
  private final Cache<Key, Instant> familiar = cache(FAMILIAR_FOR);
  private final AtomicBoolean warnedUnknown = new AtomicBoolean();

  LoginGuard(LoginLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
    this.checks = new Semaphore(limits.concurrentChecks());
    this.reserved = limits.concurrentChecks() / 2;
    this.maxWaiting = (int) Math.min(Integer.MAX_VALUE, 8L * limits.concurrentChecks());
    this.pairs = cache(limits.forgetAfter());
    this.sources = cache(limits.forgetAfter());
    this.usernames = cache(limits.forgetAfter());
  }

  /**
   * Bounds memory only, by the system's time: whether an entry still counts is decided by the
   * feature's clock, which tests move.
   */
  private static <K, V> Cache<K, V> cache(Duration expiry) {
    return Caffeine.newBuilder().expireAfterWrite(expiry).maximumSize(MAX_ENTRIES).build();
  }

  /**
   * Admits an attempt of {@code username} from {@code address} to its password check.
   *
   * @throws ApiException 429 when the attempt must wait (Retry-After says how long) or its source
   *     has failed and no spare check is free, 503 when no check is free within the wait
   */
  Attempt admit(String username, String address) {
    boolean known = !address.equals(ClientAddresses.UNKNOWN);
    if (!known && warnedUnknown.compareAndSet(false, true)) {
      log.warn(
          "sign-in without the client's address: failures are counted per username for all"
              + " clients; set the request property dev.errand.http.clientAddress");
    }
    Key key =
        new Key(
            username.toLowerCase(Locale.ROOT),
            known ? ClientAddresses.limitKey(address) : address,
            known);
    holdBack(key, clock.instant());
    take(preferred(key, clock.instant()));
    try {
      holdBack(key, clock.instant()); // again: a check it waited behind may have failed since
    } catch (ApiException e) {
      checks.release();
      throw e;
    }
    return new Attempt(key);
  }

  /** One attempt holding a password check; closing gives the check back. Not thread-safe. */
  final class Attempt implements AutoCloseable {
    private final Key key;
    private boolean closed;

    private Attempt(Key key) {
      this.key = key;
    }

    /** The password was wrong. */
    void failed() {
      Instant now = clock.instant();
      pairs.asMap().compute(key, (k, f) -> plusOne(f, now));
      if (key.known()) {
        sources.asMap().compute(key.source(), (k, f) -> plusOne(f, now));
        usernames.asMap().compute(key.username(), (k, f) -> plusOne(f, now));
      }
    }

    /** The password was right: the key's failures are cleared and its source is familiar. */
    void succeeded() {
      pairs.invalidate(key);
      if (key.known()) {
        familiar.put(key, clock.instant());
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        checks.release();
      }
    }
  }

  /** Throws 429 if the key must wait. */
  private void holdBack(Key key, Instant now) {
    if (key.known()) {
      Failures source = live(sources.getIfPresent(key.source()), now);
      if (source != null && source.count() >= limits.sourceFailuresBeforeRefusal()) {
        throw refused(
            "sign-in from this address is refused after too many failures",
            source.last().plus(limits.forgetAfter()),
            now);
      }
      waitFor(
          "too many failed sign-ins from this address",
          source,
          limits.sourceFailuresBeforeDelay(),
          now);
      if (source != null && !familiar(key, now)) {
        waitFor(
            "too many failed sign-ins for this username from addresses that have failed",
            live(usernames.getIfPresent(key.username()), now),
            limits.usernameFailuresBeforeDelay(),
            now);
      }
    }
    waitFor(
        "too many failed sign-ins for this username from this address",
        live(pairs.getIfPresent(key), now),
        limits.failuresBeforeDelay(),
        now);
  }

  /** Sources without failures come first; so does a source that signed in as this user lately. */
  private boolean preferred(Key key, Instant now) {
    if (!key.known()) {
      return live(pairs.getIfPresent(key), now) == null;
    }
    return live(sources.getIfPresent(key.source()), now) == null || familiar(key, now);
  }

  private void take(boolean preferred) {
    if (!preferred) { // never waits, and leaves the reserved checks to sources without failures
      if (checks.availablePermits() <= reserved || !checks.tryAcquire()) {
        throw refused(
            "too many sign-ins are being checked to check more from addresses that have failed",
            null,
            null);
      }
      return;
    }
    try {
      if (checks.getQueueLength() >= maxWaiting
          || !checks.tryAcquire(limits.checkWait().toMillis(), TimeUnit.MILLISECONDS)) {
        throw busy();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw busy();
    }
  }

  private void waitFor(String reason, Failures failures, int free, Instant now) {
    if (failures == null || failures.count() < free) {
      return;
    }
    int doublings = Math.min(failures.count() - free, 40);
    Duration delay = limits.firstDelay().multipliedBy(1L << doublings);
    if (delay.compareTo(limits.maxDelay()) > 0) {
      delay = limits.maxDelay();
    }
    Instant until = failures.last().plus(delay);
    if (until.isAfter(now)) {
      throw refused(reason, until, now);
    }
  }

  private boolean familiar(Key key, Instant now) {
    Instant since = familiar.getIfPresent(key);
    return since != null && now.isBefore(since.plus(FAMILIAR_FOR));
  }

  /** The failures unless forgotten by now. */
  private Failures live(Failures failures, Instant now) {
    if (failures == null || !now.isBefore(failures.last().plus(limits.forgetAfter()))) {
      return null;
    }
    return failures;
  }

  private Failures plusOne(Failures failures, Instant now) {
    Failures live = live(failures, now);
    return new Failures(live == null ? 1 : live.count() + 1, now);
  }

  /** 429 with Retry-After: the seconds until {@code until}, at least 1 (1 when null). */
  private static ApiException refused(String reason, Instant until, Instant now) {
    long seconds = 1;
    if (until != null) {
      long millis = Duration.between(now, until).toMillis();
      seconds = Math.max(1, (millis + 999) / 1000);
    }
    return new ApiException(
        429,
        "RATE_LIMIT_EXCEEDED",
        reason + "; retry after " + seconds + " s",
        Map.of("retry_after_seconds", seconds),
        Map.of("Retry-After", Long.toString(seconds)));
  }

  private static ApiException busy() {
    return new ApiException(
        503,
        "INSUFFICIENT_RESOURCES",
        "too many sign-ins are being checked; retry after 1 s",
        Map.of("retry_after_seconds", 1),
        Map.of("Retry-After", "1"));
  }
}
