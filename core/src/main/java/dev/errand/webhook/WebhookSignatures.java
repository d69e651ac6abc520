package dev.errand.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signatures sent with each webhook: {@code X-Context-Signature: sha256=<hex HMAC-SHA256 of the
 * raw body>} as the task API document verifies it, and the Standard Webhooks {@code
 * webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, one per secret while a secret
 * is being rotated.
 */
public final class WebhookSignatures {
  /** The document's header. */
  public static final String CONTEXT_SIGNATURE = "X-Context-Signature";

  /** Standard Webhooks: the message id, the same on every retry. */
  public static final String WEBHOOK_ID = "webhook-id";

  /** Standard Webhooks: seconds since the epoch when this attempt was signed. */
  public static final String WEBHOOK_TIMESTAMP = "webhook-timestamp";

  /** Standard Webhooks: space-separated {@code v1,<signature>} entries. */
  public static final String WEBHOOK_SIGNATURE = "webhook-signature";

  private WebhookSignatures() {}

  /**
   * {@code sha256=} and the hex HMAC-SHA256 of the body, keyed, as the document's receiver keys it,
   * with the secret's text ({@code whsec_...}) as UTF-8 bytes.
   */
  public static String contextSignature(byte[] body, WebhookSecret secret) {
    byte[] key = secret.text().getBytes(StandardCharsets.UTF_8);
    return "sha256=" + HexFormat.of().formatHex(hmac(key, body));
  }

  /** The Standard Webhooks signature header value, one {@code v1,} entry per secret. */
  public static String standardSignature(
      String messageId, long timestampSeconds, byte[] body, List<WebhookSecret> secrets) {
    byte[] signed = signedContent(messageId, timestampSeconds, body);
    return secrets.stream()
        .map(s -> "v1," + Base64.getEncoder().encodeToString(hmac(s.key(), signed)))
        .collect(Collectors.joining(" "));
  }

  static byte[] signedContent(String messageId, long timestampSeconds, byte[] body) {
    byte[] head = (messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + body.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(body, 0, out, head.length, body.length);
    return out;
  }

  static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
