package dev.errand.internal;

import dev.errand.EngineTimer;
import dev.errand.spi.TaskStore;
import dev.errand.spi.WebhookOutcome;
import dev.errand.webhook.WebhookDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers webhooks from the store's delivery outbox. A pass, on its own thread, has the store
 * record the deliveries of new events, then takes due deliveries up to the free capacity; each is
 * attempted on a sender thread, at most {@code perOrganization} at a time for one organization (the
 * others wait here, taken but not started). Local events wake a pass; a poll picks up the work of
 * other engines and retries falling due.
 */
final class WebhookDispatcher {
  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final int PREPARE_BATCH = 500;

  /** How long a taken delivery is kept from other engines: longer than any attempt lasts. */
  static final Duration LEASE = Duration.ofMinutes(1);

  /**
   * The least time between the starts of two passes: under load every change wakes the dispatcher,
   * and a pass per change would cost a database transaction each (measured: H2 drained 35 % fewer
   * tasks per second with webhooks on); a delivery starting up to this much later does not matter.
   */
  static final Duration PASS_SPACING = Duration.ofMillis(50);

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

  private final TaskStore store;
  private final Clock clock;
  private final WebhookAttempt attempt;
  private final int capacity;
  private final int perOrganization;
  private final WakeableLoop loop;
  private final ExecutorService senders;
  private final Map<String, Integer> inFlight = new HashMap<>();
  private final Map<String, ArrayDeque<WebhookDelivery>> waiting = new HashMap<>();
  private int held;
  private long lastPassNanos = System.nanoTime() - PASS_SPACING.toNanos();

  WebhookDispatcher(
      TaskStore store,
      Clock clock,
      EngineTimer timer,
      Duration pollInterval,
      WebhookAttempt attempt,
      int capacity,
      int perOrganization) {
    this.store = store;
    this.clock = clock;
    this.attempt = attempt;
    this.capacity = capacity;
    this.perOrganization = perOrganization;
    this.loop = new WakeableLoop("errand-webhooks", timer, pollInterval, this::pass);
    this.senders =
        Executors.newFixedThreadPool(capacity, WakeableLoop.daemonThreads("errand-webhook-sender"));
  }

  void start() {
    loop.start();
  }

  /**
   * Stops taking deliveries and interrupts the attempts under way; a delivery whose outcome was not
   * recorded is attempted again once its lease ends, with the same webhook-id.
   */
  void close() {
    loop.close();
    senders.shutdownNow();
    try {
      senders.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs a pass soon. */
  void wake() {
    loop.wake();
  }

  private void pass() {
    try {
      spaceOut();
    } catch (InterruptedException e) {
      return; // closing
    }
    try {
      while (store.prepareWebhookDeliveries(clock.instant(), PREPARE_BATCH) == PREPARE_BATCH) {
        // more events to consider
      }
      int free;
      synchronized (this) {
        free = capacity - held;
      }
      if (free > 0 && loop.isRunning()) {
        Instant now = clock.instant();
        List<WebhookDelivery> taken = store.claimWebhookDeliveries(now, now.plus(LEASE), free);
        taken.forEach(this::hold);
      }
    } catch (RuntimeException e) {
      log.warn("webhook pass failed; trying again at the next poll", e);
    }
  }

  /** Waits on the pass thread until {@link #PASS_SPACING} has passed since the last pass began. */
  private void spaceOut() throws InterruptedException {
    long wait = lastPassNanos + PASS_SPACING.toNanos() - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
    lastPassNanos = System.nanoTime();
  }

  private synchronized void hold(WebhookDelivery d) {
    held++;
    if (inFlight.getOrDefault(d.organizationId(), 0) < perOrganization) {
      send(d);
    } else {
      waiting.computeIfAbsent(d.organizationId(), o -> new ArrayDeque<>()).add(d);
    }
  }

  private void send(WebhookDelivery d) {
    inFlight.merge(d.organizationId(), 1, Integer::sum);
    try {
      senders.execute(() -> deliver(d));
    } catch (RejectedExecutionException e) {
      inFlight.merge(d.organizationId(), -1, Integer::sum); // closing; its lease ends
    }
  }

  private void deliver(WebhookDelivery d) {
    try {
      WebhookOutcome outcome = attempt.attempt(d);
      if (store.recordWebhookOutcome(outcome) && outcome.status() == WebhookDelivery.Status.GONE) {
        store.markWebhookUrlGone(d.organizationId(), d.url(), outcome.at());
      }
    } catch (RuntimeException e) {
      log.warn(
          "webhook {} of task {}: attempt not recorded; made again after its lease",
          d.id(),
          d.taskId(),
          e);
    } finally {
      finished(d);
      wake();
    }
  }

  private synchronized void finished(WebhookDelivery d) {
    held--;
    String org = d.organizationId();
    if (inFlight.merge(org, -1, Integer::sum) == 0) {
      inFlight.remove(org);
    }
    ArrayDeque<WebhookDelivery> queue = waiting.get(org);
    if (queue != null) {
      WebhookDelivery next = queue.poll();
      if (queue.isEmpty()) {
        waiting.remove(org);
      }
      send(next);
    }
  }
}
