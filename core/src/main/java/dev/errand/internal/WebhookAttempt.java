package dev.errand.internal;

import dev.errand.RetryAfter;
import dev.errand.spi.WebhookOutcome;
import dev.errand.webhook.WebhookDelivery;
import dev.errand.webhook.WebhookDelivery.Status;
import dev.errand.webhook.WebhookSecret;
import dev.errand.webhook.WebhookSecrets;
import dev.errand.webhook.WebhookSignatures;
import dev.errand.webhook.WebhookUrlPolicy;
import dev.errand.webhook.WebhookUrlRefusedException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at a webhook delivery: checks the URL's addresses against the policy, signs the body,
 * posts it to a checked address and decides what comes next. Only a 2xx answer delivers; 410 Gone
 * stops deliveries to the URL; anything else (another status, a redirect, no answer) is tried again
 * after the next of the retry delays, with ±20 % jitter, or after the receiver's Retry-After if
 * that is longer, until the delays run out.
 */
final class WebhookAttempt {
  private static final Logger log = LoggerFactory.getLogger(WebhookAttempt.class);
  private static final int MAX_ERROR = 1000;
  private static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

  private final WebhookUrlPolicy policy;
  private final WebhookSecrets secrets;
  private final WebhookPayload payload;
  private final WebhookHttp http;
  private final List<Duration> retryDelays;
  private final Clock clock;

  WebhookAttempt(
      WebhookUrlPolicy policy,
      WebhookSecrets secrets,
      WebhookPayload payload,
      WebhookHttp http,
      List<Duration> retryDelays,
      Clock clock) {
    this.policy = policy;
    this.secrets = secrets;
    this.payload = payload;
    this.http = http;
    this.retryDelays = retryDelays;
    this.clock = clock;
  }

  /** Makes the attempt; whatever goes wrong, the outcome counts it. */
  WebhookOutcome attempt(WebhookDelivery d) {
    try {
      return attemptOnce(d);
    } catch (RuntimeException e) {
      log.warn("webhook {} of task {}: attempt failed", d.id(), d.taskId(), e);
      return retry(d, null, e.getClass().getSimpleName() + ": " + e.getMessage(), null);
    }
  }

  private WebhookOutcome attemptOnce(WebhookDelivery d) {
    URI url = URI.create(d.url());
    List<InetAddress> addresses;
    try {
      addresses = policy.addressesFor(url);
    } catch (WebhookUrlRefusedException e) {
      if (e.isUnresolved()) {
        return retry(d, null, e.getMessage(), null);
      }
      log.warn("webhook {} of task {} not sent: {}", d.id(), d.taskId(), e.getMessage());
      return end(d, Status.FAILED, null, e.getMessage());
    }
    try {
      byte[] body = payload.body(d);
      WebhookHttp.Answer answer = http.post(url, addresses, headers(d, body), body);
      return decide(d, answer);
    } catch (IOException e) {
      return retry(d, null, describe(e), null);
    }
  }

  private Map<String, String> headers(WebhookDelivery d, byte[] body) {
    List<WebhookSecret> keys = secrets.forOrganization(d.organizationId());
    if (keys == null || keys.isEmpty()) {
      throw new IllegalStateException(
          "the webhook secrets have none for organization " + d.organizationId());
    }
    long timestamp = clock.instant().getEpochSecond();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("User-Agent", "Errand-Webhooks/1");
    headers.put(
        WebhookSignatures.CONTEXT_SIGNATURE, WebhookSignatures.contextSignature(body, keys.get(0)));
    headers.put(WebhookSignatures.WEBHOOK_ID, d.id());
    headers.put(WebhookSignatures.WEBHOOK_TIMESTAMP, Long.toString(timestamp));
    headers.put(
        WebhookSignatures.WEBHOOK_SIGNATURE,
        WebhookSignatures.standardSignature(d.id(), timestamp, body, keys));
    return headers;
  }

  private WebhookOutcome decide(WebhookDelivery d, WebhookHttp.Answer answer) {
    int status = answer.status();
    if (status >= 200 && status < 300) {
      return end(d, Status.DELIVERED, status, null);
    }
    if (status == 410) {
      return end(d, Status.GONE, status, "the receiver answered 410 Gone");
    }
    String why = status >= 300 && status < 400 ? "a redirect, not followed" : "not a 2xx answer";
    return retry(d, status, "HTTP " + status + ": " + why, retryAfter(answer.retryAfter()));
  }

  private WebhookOutcome end(WebhookDelivery d, Status status, Integer code, String error) {
    Instant now = clock.instant();
    return new WebhookOutcome(
        d.eventSeq(), d.nextAttemptAt(), status, d.attempts() + 1, now, code, clip(error), now);
  }

  private WebhookOutcome retry(WebhookDelivery d, Integer code, String error, Duration retryAfter) {
    int attempts = d.attempts() + 1;
    if (attempts > retryDelays.size()) {
      return end(d, Status.FAILED, code, error);
    }
    Duration delay = jitter(retryDelays.get(attempts - 1));
    if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
      delay = retryAfter;
    }
    Instant now = clock.instant();
    return new WebhookOutcome(
        d.eventSeq(),
        d.nextAttemptAt(),
        Status.PENDING,
        attempts,
        now.plus(delay),
        code,
        clip(error),
        now);
  }

  private static Duration jitter(Duration delay) {
    double factor = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis((long) (delay.toMillis() * factor));
  }

  /** Retry-After, at most a day; {@code null} when absent or unreadable. */
  private Duration retryAfter(String value) {
    return RetryAfter.parse(value, clock.instant())
        .map(d -> d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d)
        .orElse(null);
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /**
   * At most {@value #MAX_ERROR} characters, control characters (which a receiver may send) as ?.
   */
  private static String clip(String s) {
    if (s == null) {
      return null;
    }
    String visible = s.replaceAll("\\p{Cntrl}", "?");
    return visible.length() <= MAX_ERROR ? visible : visible.substring(0, MAX_ERROR);
  }
}
