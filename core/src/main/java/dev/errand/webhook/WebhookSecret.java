package dev.errand.webhook;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A webhook signing key, written as Standard Webhooks write it: {@code whsec_} and the key in
 * Base64. {@link #toString()} never shows the key.
 */
public final class WebhookSecret {
  /** The prefix of a secret's text form. */
  public static final String PREFIX = "whsec_";

  /** The smallest key accepted: 24 bytes (192 bits). */
  public static final int MIN_BYTES = 24;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;

  private WebhookSecret(byte[] key) {
    if (key.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          "a webhook secret must be at least " + MIN_BYTES + " bytes, was " + key.length);
    }
    this.key = key.clone();
  }

  /** A new random 32-byte secret. */
  public static WebhookSecret generate() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return new WebhookSecret(key);
  }

  /**
   * A secret from its text form, {@code whsec_<base64>} (the prefix may be left out).
   *
   * @throws IllegalArgumentException if the text is not Base64 or the key is too short
   */
  public static WebhookSecret parse(String text) {
    Objects.requireNonNull(text, "text");
    String b64 = text.startsWith(PREFIX) ? text.substring(PREFIX.length()) : text;
    try {
      return new WebhookSecret(Base64.getDecoder().decode(b64));
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("a webhook secret")) {
        throw e;
      }
      throw new IllegalArgumentException("a webhook secret must be whsec_ and Base64", e);
    }
  }

  /** The text form, {@code whsec_<base64>}: share it with the receiver only. */
  public String text() {
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  byte[] key() {
    return key.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WebhookSecret other && Arrays.equals(key, other.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return "WebhookSecret[whsec_…]";
  }
}
