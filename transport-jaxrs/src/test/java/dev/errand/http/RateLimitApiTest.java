package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The document's default limits, per organization, with the API's clock moved by the test. */
class RateLimitApiTest extends ApiTestSupport {
  @Override
  RateLimits rateLimits() {
    return RateLimits.defaults();
  }

  @Test
  void theEleventhSubmitInAMinuteIsRefusedUntilTheBucketRefills() throws Exception {
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = send("POST", "api/v1/tasks", "acme", SUBMIT);
      assertThat(r.statusCode()).isEqualTo(202);
      assertThat(r.headers().firstValue("RateLimit-Limit")).contains("10");
      assertThat(r.headers().firstValue("RateLimit-Remaining")).contains(Integer.toString(9 - i));
    }
    HttpResponse<String> refused = send("POST", "api/v1/tasks", "acme", SUBMIT);
    JsonNode error = envelope(refused, 429, "RATE_LIMIT_EXCEEDED");
    assertThat(refused.headers().firstValue("Retry-After")).contains("6");
    assertThat(error.path("details").path("retry_after_seconds").asLong()).isEqualTo(6);
    assertThat(send("POST", "api/v1/tasks", "globex", SUBMIT).statusCode())
        .as("another organization has its own bucket")
        .isEqualTo(202);
    assertThat(send("GET", "api/v1/tasks", "acme", null).statusCode())
        .as("another endpoint has its own bucket")
        .isEqualTo(200);

    clock.advance(Duration.ofSeconds(5));
    assertThat(send("POST", "api/v1/tasks", "acme", SUBMIT).statusCode()).isEqualTo(429);
    clock.advance(Duration.ofSeconds(1));
    assertThat(send("POST", "api/v1/tasks", "acme", SUBMIT).statusCode()).isEqualTo(202);
  }

  @Test
  void aTrailingSlashOrAHeadCountsAsTheRouteItself() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(send("POST", "api/v1/tasks", "acme", SUBMIT).statusCode()).isEqualTo(202);
      assertThat(send("POST", "api/v1/tasks/", "acme", SUBMIT).statusCode()).isEqualTo(202);
    }
    envelope(send("POST", "api/v1/tasks/", "acme", SUBMIT), 429, "RATE_LIMIT_EXCEEDED");
    assertThat(send("GET", "api/v1/tasks/?limit=5", "acme", null).statusCode()).isEqualTo(200);
    HttpResponse<String> head = send("HEAD", "api/v1/tasks?limit=5", "acme", null);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("RateLimit-Limit")).as("the list's limit").contains("50");
  }

  @Test
  void theHourlyQuotaHoldsBeyondTheBursts() throws Exception {
    int accepted = 0;
    for (int minute = 0; minute < 12; minute++) {
      for (int i = 0; i < 10; i++) {
        if (send("POST", "api/v1/tasks", "acme", SUBMIT).statusCode() == 202) {
          accepted++;
        }
      }
      clock.advance(Duration.ofMinutes(1));
    }
    // the burst allows 10 a minute, 120 in 12 minutes; the hourly quota of 100 refills 5/3 a
    // minute: 100 in the first ten minutes, 10 of 16.7 at minute 10, then 8 of 8.3 at minute 11
    assertThat(accepted).isEqualTo(118);
  }
}
