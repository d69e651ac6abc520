package dev.errand.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.errand.TaskEventType;
import dev.errand.TaskStatus;
import dev.errand.spi.WebhookOutcome;
import dev.errand.webhook.WebhookDelivery;
import dev.errand.webhook.WebhookDelivery.Status;
import dev.errand.webhook.WebhookSecret;
import dev.errand.webhook.WebhookSecrets;
import dev.errand.webhook.WebhookUrlPolicy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

/** What an attempt decides from the receiver's answer, against a scripted receiver. */
class WebhookAttemptTest {
  private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  private static final Instant LEASE = NOW.plusSeconds(120);
  private static final List<Duration> DELAYS =
      List.of(Duration.ofSeconds(10), Duration.ofMinutes(5));
  private static final WebhookSecrets SECRETS = WebhookSecrets.of(WebhookSecret.generate());

  private static WebhookAttempt attempt(WebhookSecrets secrets) {
    return new WebhookAttempt(
        WebhookUrlPolicy.defaults().allowingHttp().allowing("127.0.0.1/32"),
        secrets,
        new WebhookPayload(new Json(Json.defaultMapper())),
        new WebhookHttp(
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            (SSLSocketFactory) SSLSocketFactory.getDefault()),
        DELAYS,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static WebhookDelivery delivery(URI url, int attempts) {
    return new WebhookDelivery(
        7,
        UUID.randomUUID(),
        "acme",
        url.toString(),
        TaskEventType.TASK_COMPLETED,
        NOW,
        TaskStatus.COMPLETED,
        NOW.minusSeconds(600),
        "{}",
        Status.PENDING,
        attempts,
        LEASE,
        null,
        null,
        NOW);
  }

  private static WebhookOutcome answered(String answer, int attempts) throws Exception {
    try (ScriptedServer server = ScriptedServer.answering(answer)) {
      return attempt(SECRETS).attempt(delivery(server.url("/h"), attempts));
    }
  }

  @Test
  void aLongerRetryAfterIsWaitedForAsSecondsOrAsADateButAtMostADay() throws Exception {
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(3600).atZone(ZoneOffset.UTC));
    WebhookOutcome asDate = answered("HTTP/1.1 503 No\r\nRetry-After: " + date + "\r\n\r\n", 0);
    assertThat(asDate.nextAttemptAt()).isEqualTo(NOW.plusSeconds(3600));
    assertThat(asDate.takenUntil()).as("the lease it was held by").isEqualTo(LEASE);
    WebhookOutcome tooLong = answered("HTTP/1.1 429 No\r\nRetry-After: 172800\r\n\r\n", 0);
    assertThat(tooLong.nextAttemptAt()).isEqualTo(NOW.plus(Duration.ofDays(1)));
    WebhookOutcome shorter = answered("HTTP/1.1 503 No\r\nRetry-After: 1\r\n\r\n", 1);
    assertThat(shorter.nextAttemptAt())
        .as("the retry delay, when longer than Retry-After")
        .isBetween(NOW.plusSeconds(240), NOW.plusSeconds(360));
  }

  @Test
  void retryDelaysHaveAtMostTwentyPercentJitter() throws Exception {
    for (int i = 0; i < 10; i++) {
      WebhookOutcome o = answered("HTTP/1.1 500 Boom\r\n\r\n", 0);
      assertThat(o.status()).isEqualTo(Status.PENDING);
      assertThat(o.attempts()).isEqualTo(1);
      assertThat(o.nextAttemptAt()).isBetween(NOW.plusSeconds(8), NOW.plusSeconds(12));
      assertThat(o.responseCode()).isEqualTo(500);
      assertThat(o.error()).isEqualTo("HTTP 500: not a 2xx answer");
    }
  }

  @Test
  void theAttemptAfterTheLastDelayIsTheLast() throws Exception {
    WebhookOutcome o = answered("HTTP/1.1 500 Boom\r\n\r\n", DELAYS.size());
    assertThat(o.status()).isEqualTo(Status.FAILED);
    assertThat(o.attempts()).isEqualTo(3);
  }

  @Test
  void whatGoesWrongInTheAttemptItselfIsACountedRetry() throws Exception {
    try (ScriptedServer server = ScriptedServer.answering("HTTP/1.1 200 OK\r\n\r\n")) {
      WebhookSecrets none = org -> List.of();
      WebhookOutcome o = attempt(none).attempt(delivery(server.url("/h"), 0));
      assertThat(o.status()).isEqualTo(Status.PENDING);
      assertThat(o.attempts()).isEqualTo(1);
      assertThat(o.error()).contains("have none for organization acme");
      assertThat(server.requests()).as("nothing sent unsigned").isEmpty();
    }
  }

  @Test
  void controlCharactersFromTheReceiverAreNotStored() throws Exception {
    WebhookOutcome o = answered("HTTP/1.1 2\u00000\u00070 OK\r\n\r\n", 0);
    assertThat(o.status()).isEqualTo(Status.PENDING);
    assertThat(o.error()).contains("bad HTTP status line").doesNotContain("\u0000", "\u0007");
  }
}
