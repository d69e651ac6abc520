package dev.errand.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What receivers check: the document's verifier, ported line by line, and Standard Webhooks. */
class WebhookSignaturesTest {
  private static final byte[] BODY =
      "{\"event_type\":\"task_completed\",\"task_id\":\"task_1\"}".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

  @Test
  void theContextSignatureIsTheHexHmacOfTheBodyKeyedWithTheSecretsText() {
    // expected value from Python: hmac.new(b"whsec_" + b"A" * 32, body, sha256).hexdigest(),
    // what the document's receiver (ported in the testkit's WebhookReceiver) computes
    WebhookSecret secret = WebhookSecret.parse("whsec_" + "A".repeat(32));
    byte[] body = "{\"event_type\":\"task_completed\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(WebhookSignatures.contextSignature(body, secret))
        .isEqualTo("sha256=879ff5d64e94f7cd09416bf01c6d63e3fbd3b0beed0de417f36e4f28cfd30220");
  }

  @Test
  void standardWebhooksSignaturesVerifyDuringARotation() {
    WebhookSecret old = WebhookSecret.generate();
    WebhookSecret fresh = WebhookSecret.generate();
    String header =
        WebhookSignatures.standardSignature(
            "msg_1", NOW.getEpochSecond(), BODY, List.of(old, fresh));
    assertThat(header.split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
    Clock clock = Clock.fixed(NOW.plusSeconds(30), ZoneOffset.UTC);
    for (WebhookSecret receiverHas : List.of(old, fresh)) {
      WebhookVerifier.of(List.of(receiverHas))
          .with(WebhookVerifier.DEFAULT_TOLERANCE, clock)
          .verify("msg_1", Long.toString(NOW.getEpochSecond()), header, BODY);
    }
    WebhookVerifier stranger =
        WebhookVerifier.of(List.of(WebhookSecret.generate()))
            .with(WebhookVerifier.DEFAULT_TOLERANCE, clock);
    assertThatThrownBy(
            () -> stranger.verify("msg_1", Long.toString(NOW.getEpochSecond()), header, BODY))
        .isInstanceOf(WebhookVerificationException.class)
        .hasMessage("no webhook-signature matches");
  }

  @Test
  void aChangedIdBodyOrAStaleTimestampIsRefused() {
    WebhookSecret secret = WebhookSecret.generate();
    long ts = NOW.getEpochSecond();
    String header = WebhookSignatures.standardSignature("msg_1", ts, BODY, List.of(secret));
    WebhookVerifier verifier =
        WebhookVerifier.of(List.of(secret))
            .with(Duration.ofMinutes(5), Clock.fixed(NOW.plusSeconds(301), ZoneOffset.UTC));
    assertThatThrownBy(() -> verifier.verify("msg_1", Long.toString(ts), header, BODY))
        .isInstanceOf(WebhookVerificationException.class)
        .hasMessageContaining("301 s from now");
    WebhookVerifier inTime = verifier.with(Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));
    inTime.verify("msg_1", Long.toString(ts), header, BODY);
    assertThatThrownBy(() -> inTime.verify("msg_2", Long.toString(ts), header, BODY))
        .isInstanceOf(WebhookVerificationException.class);
    assertThatThrownBy(() -> inTime.verify("msg_1", Long.toString(ts), header, "{}".getBytes()))
        .isInstanceOf(WebhookVerificationException.class);
    assertThat(
            inTime.verifyContextSignature(WebhookSignatures.contextSignature(BODY, secret), BODY))
        .isTrue();
  }

  @Test
  void secretsRoundTripTheirTextAndNeverPrintTheKey() {
    WebhookSecret secret = WebhookSecret.generate();
    assertThat(WebhookSecret.parse(secret.text())).isEqualTo(secret);
    assertThat(secret.toString()).doesNotContain(secret.text().substring(6));
    assertThatThrownBy(() -> WebhookSecret.parse("whsec_c2hvcnQ="))
        .hasMessage("a webhook secret must be at least 24 bytes, was 5");
  }
}
