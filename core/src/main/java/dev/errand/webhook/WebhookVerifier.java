package dev.errand.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * For receivers: checks that a webhook came from Errand, unchanged and recently. Signatures are
 * compared in constant time; any of the given secrets may match (so a receiver keeps working while
 * a secret is rotated). Immutable and thread-safe.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.of(List.of(WebhookSecret.parse(secretText)));
 * verifier.verify(headers.get("webhook-id"), headers.get("webhook-timestamp"),
 *     headers.get("webhook-signature"), rawBody);   // throws WebhookVerificationException
 * }</pre>
 */
public final class WebhookVerifier {
  /** How far a webhook's timestamp may be from the receiver's clock by default. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private final List<WebhookSecret> secrets;
  private final Duration tolerance;
  private final Clock clock;

  private WebhookVerifier(List<WebhookSecret> secrets, Duration tolerance, Clock clock) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("at least one secret is needed");
    }
    this.secrets = List.copyOf(secrets);
    this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A verifier for these secrets, the default tolerance and the system clock. */
  public static WebhookVerifier of(List<WebhookSecret> secrets) {
    return new WebhookVerifier(secrets, DEFAULT_TOLERANCE, Clock.systemUTC());
  }

  /** This verifier with another timestamp tolerance and clock. */
  public WebhookVerifier with(Duration tolerance, Clock clock) {
    return new WebhookVerifier(secrets, tolerance, clock);
  }

  /**
   * Verifies the Standard Webhooks headers of a received webhook.
   *
   * @param id the webhook-id header
   * @param timestamp the webhook-timestamp header (seconds since the epoch)
   * @param signatures the webhook-signature header ({@code v1,<base64>} entries)
   * @param body the raw body, exactly as received
   * @throws WebhookVerificationException if a header is missing or malformed, the timestamp is
   *     outside the tolerance, or no signature matches
   */
  public void verify(String id, String timestamp, String signatures, byte[] body) {
    if (id == null || timestamp == null || signatures == null || body == null) {
      throw new WebhookVerificationException("missing webhook-id, -timestamp or -signature");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.strip());
    } catch (NumberFormatException e) {
      throw new WebhookVerificationException("webhook-timestamp is not a number: " + timestamp);
    }
    Duration skew = Duration.between(Instant.ofEpochSecond(seconds), clock.instant()).abs();
    if (skew.compareTo(tolerance) > 0) {
      throw new WebhookVerificationException(
          "webhook-timestamp is " + skew.toSeconds() + " s from now, over " + tolerance);
    }
    byte[] signed = WebhookSignatures.signedContent(id, seconds, body);
    for (String entry : signatures.strip().split("\\s+")) {
      if (entry.startsWith("v1,") && matchesAny(decode(entry.substring(3)), signed)) {
        return;
      }
    }
    throw new WebhookVerificationException("no webhook-signature matches");
  }

  /**
   * Verifies the {@code X-Context-Signature} header as the task API document does.
   *
   * @return whether it is {@code sha256=<hex HMAC-SHA256 of the body>} under one of the secrets
   */
  public boolean verifyContextSignature(String header, byte[] body) {
    if (header == null || body == null) {
      return false;
    }
    byte[] given = header.getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    for (WebhookSecret s : secrets) {
      byte[] expected =
          WebhookSignatures.contextSignature(body, s).getBytes(StandardCharsets.UTF_8);
      match |= MessageDigest.isEqual(given, expected);
    }
    return match;
  }

  private boolean matchesAny(byte[] given, byte[] signed) {
    boolean match = false;
    for (WebhookSecret s : secrets) {
      match |= MessageDigest.isEqual(given, WebhookSignatures.hmac(s.key(), signed));
    }
    return match;
  }

  private static byte[] decode(String b64) {
    try {
      return Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }
}
