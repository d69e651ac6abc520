package dev.errand.internal;

import dev.errand.EngineTimer;
import dev.errand.spi.TaskStore;
import dev.errand.spi.WebhookClaim;
import dev.errand.spi.WebhookOutcome;
import dev.errand.webhook.WebhookDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers webhooks from the store's delivery outbox. A pass, on its own thread, has the store
 * record the deliveries of new events, then takes due deliveries up to the free capacity, at most
 * {@code perOrganization} of one organization and none of an organization whose deliveries are all
 * under way, so that one organization's backlog never holds up another's. Each is attempted on a
 * sender thread; one taken beyond its organization's free places is given back at once. Local
 * events wake a pass; a poll picks up the work of other engines and retries falling due.
 */
final class WebhookDispatcher {
  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final int PREPARE_BATCH = 500;

  /** How long connecting may take, within the attempt's deadline. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** How long one attempt may take in all, from connecting to the answer's last header. */
  static final Duration ATTEMPT_DEADLINE = Duration.ofSeconds(30);

  /**
   * How long a taken delivery is kept from other engines: the attempt's deadline and ample time to
   * look the host up and record the outcome. Should an attempt outlast it, the delivery may be
   * attempted again elsewhere, with the same webhook-id (at least once); only the lease's holder
   * records an outcome.
   */
  static final Duration LEASE = Duration.ofMinutes(1);

  /**
   * The least time between the starts of two passes: under load every change wakes the dispatcher,
   * and a pass per change would cost a database transaction each (measured: H2 drained 35 % fewer
   * tasks per second with webhooks on); a delivery starting up to this much later does not matter.
   */
  static final Duration PASS_SPACING = Duration.ofMillis(50);

  private final TaskStore store;
  private final Clock clock;
  private final WebhookAttempt attempt;
  private final WebhookHttp http;
  private final int capacity;
  private final int perOrganization;
  private final WakeableLoop loop;
  private final ExecutorService senders;
  private final Map<String, Integer> inFlight = new HashMap<>();
  private int held;
  private long lastPassNanos = System.nanoTime() - PASS_SPACING.toNanos();

  WebhookDispatcher(
      TaskStore store,
      Clock clock,
      EngineTimer timer,
      Duration pollInterval,
      WebhookAttempt attempt,
      WebhookHttp http,
      int capacity,
      int perOrganization) {
    this.store = store;
    this.clock = clock;
    this.attempt = attempt;
    this.http = http;
    this.capacity = capacity;
    this.perOrganization = perOrganization;
    this.loop = new WakeableLoop("errand-webhooks", timer, pollInterval, this::pass);
    this.senders =
        Executors.newFixedThreadPool(capacity, WakeableLoop.daemonThreads("errand-webhook-sender"));
  }

  /** The dispatcher of an engine whose webhooks are enabled. */
  static WebhookDispatcher of(EngineConfig config, EngineTimer timer, Json json) {
    WebhookConfig w = config.webhooks();
    WebhookHttp http =
        new WebhookHttp(
            CONNECT_TIMEOUT,
            ATTEMPT_DEADLINE,
            w.sslContext() == null
                ? (SSLSocketFactory) SSLSocketFactory.getDefault()
                : w.sslContext().getSocketFactory());
    WebhookAttempt attempt =
        new WebhookAttempt(
            w.urlPolicy(),
            w.secrets(),
            new WebhookPayload(json),
            http,
            w.retryDelays(),
            config.clock());
    return new WebhookDispatcher(
        config.store(),
        config.clock(),
        timer,
        config.pollInterval(),
        attempt,
        http,
        w.concurrency(),
        w.perOrganization());
  }

  void start() {
    loop.start();
  }

  /**
   * Stops taking deliveries, waiting up to {@code bound} for a pass under way, and ends the
   * attempts under way by closing their connections (their outcomes, failures, are still recorded),
   * waiting up to {@code bound} for them too.
   *
   * @return false if a pass or an attempt was still going when its bound ran out
   */
  boolean close(Duration bound) {
    boolean passEnded = loop.close(bound);
    senders.shutdown();
    http.abortAll();
    return Shutdowns.shutdownAndWait(senders, bound) && passEnded;
  }

  /** Runs a pass soon. */
  void wake() {
    loop.wake();
  }

  private void pass() {
    spaceOut();
    try {
      while (store.prepareWebhookDeliveries(clock.instant(), PREPARE_BATCH) == PREPARE_BATCH) {
        // more events to consider
      }
      WebhookClaim claim = claim();
      if (claim != null && loop.isRunning()) {
        store.claimWebhookDeliveries(claim).forEach(d -> start(d, claim.now()));
      }
    } catch (RuntimeException e) {
      FailureLog.warn(log, "webhook pass failed; trying again at the next poll", e);
    }
  }

  /** What to take now, or null when every place is taken. */
  private synchronized WebhookClaim claim() {
    int free = capacity - held;
    if (free <= 0) {
      return null;
    }
    Set<String> full =
        inFlight.entrySet().stream()
            .filter(e -> e.getValue() >= perOrganization)
            .map(Map.Entry::getKey)
            .collect(Collectors.toSet());
    Instant now = clock.instant();
    Instant leaseUntil = now.plus(LEASE).truncatedTo(ChronoUnit.MICROS); // as databases keep it
    return new WebhookClaim(now, leaseUntil, free, perOrganization, full);
  }

  /** Waits on the pass thread until {@link #PASS_SPACING} has passed since the last pass began. */
  private void spaceOut() {
    long wait = lastPassNanos + PASS_SPACING.toNanos() - System.nanoTime();
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    lastPassNanos = System.nanoTime();
  }

  private void start(WebhookDelivery d, Instant now) {
    if (!reserve(d.organizationId())) {
      giveBack(d, now);
      return;
    }
    try {
      senders.execute(() -> deliver(d));
    } catch (RejectedExecutionException e) {
      release(d.organizationId()); // closing; its lease ends
    }
  }

  /** Takes one of the organization's places, if one is free. */
  private synchronized boolean reserve(String organization) {
    if (inFlight.getOrDefault(organization, 0) >= perOrganization) {
      return false;
    }
    inFlight.merge(organization, 1, Integer::sum);
    held++;
    return true;
  }

  private synchronized void release(String organization) {
    held--;
    if (inFlight.merge(organization, -1, Integer::sum) == 0) {
      inFlight.remove(organization);
    }
  }

  /** Makes a delivery taken beyond its organization's free places due again at once. */
  private void giveBack(WebhookDelivery d, Instant now) {
    store.recordWebhookOutcome(
        new WebhookOutcome(
            d.eventSeq(),
            d.nextAttemptAt(),
            WebhookDelivery.Status.PENDING,
            d.attempts(),
            now,
            d.lastResponseCode(),
            d.lastError(),
            now));
  }

  private void deliver(WebhookDelivery d) {
    try {
      WebhookOutcome outcome = attempt.attempt(d);
      if (!store.recordWebhookOutcome(outcome)) {
        log.info("webhook {} of task {}: its lease ended before the outcome", d.id(), d.taskId());
      }
    } catch (RuntimeException e) {
      FailureLog.warn(
          log,
          "webhook "
              + d.id()
              + " of task "
              + d.taskId()
              + ": outcome not recorded;"
              + " attempted again after its lease",
          e);
    } finally {
      release(d.organizationId());
      wake();
    }
  }
}
