package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.agent.AgentResult;
import dev.errand.store.memory.InMemoryTaskStore;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Event ids made by one node resume on another that has the same event id secret (or token secret),
 * and on no node with another; the builder checks its stream settings.
 */
class EventIdSecretTest {
  private static final byte[] SECRET = filled(1);

  private final TaskEngine engine =
      TaskEngine.builder()
          .store(new InMemoryTaskStore())
          .agent("noop", ctx -> AgentResult.completed(null))
          .build();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    engine.close();
  }

  private static byte[] filled(int value) {
    byte[] b = new byte[32];
    Arrays.fill(b, (byte) value);
    return b;
  }

  private ErrandFeature.Builder feature() {
    return ErrandFeature.builder(engine)
        .authenticator(r -> Optional.of(new Caller("acme", "jane")));
  }

  private ErrandFeature tokenFeature(byte[] tokenSecret) {
    return ErrandFeature.builder(engine).tokens(JwtTokens.builder(tokenSecret).build()).build();
  }

  @Test
  void anIdResumesOnEveryNodeWithTheSameSecretAndOnNoOther() throws Exception {
    String id;
    try (TestServer one = TestServer.start(feature().eventIdSecret(SECRET).build());
        SseClient stream = SseClient.open(http, one.uri("api/v1/events"), null, "0")) {
      engine.submit(TaskRequest.builder("noop").organizationId("acme").build());
      id = stream.next(Duration.ofSeconds(10)).id();
    }
    engine.submit(TaskRequest.builder("noop").organizationId("acme").build());
    assertThat(resumeStatus(feature().eventIdSecret(SECRET.clone()).build(), id)).isEqualTo(200);
    assertThat(resumeStatus(feature().eventIdSecret(filled(2)).build(), id)).isEqualTo(400);
    assertThat(resumeStatus(feature().build(), id)).as("a random secret").isEqualTo(400);
  }

  @Test
  void withoutAnEventIdSecretTheTokenSecretDecides() throws Exception {
    String id;
    try (TestServer one = TestServer.start(tokenFeature(SECRET));
        SseClient stream = SseClient.open(http, one.uri("api/v1/events"), bearer(SECRET), "0")) {
      engine.submit(TaskRequest.builder("noop").organizationId("acme").build());
      id = stream.next(Duration.ofSeconds(10)).id();
    }
    try (TestServer two = TestServer.start(tokenFeature(SECRET.clone()));
        SseClient resumed = SseClient.open(http, two.uri("api/v1/events"), bearer(SECRET), id)) {
      assertThat(resumed.status()).isEqualTo(200);
    }
  }

  @Test
  void theBuilderRefusesStreamSettingsOutOfRange() {
    assertThatThrownBy(() -> feature().maxStreamsPerOrganization(0))
        .hasMessage("maxStreamsPerOrganization must be between 1 and 1000, was 0");
    assertThatThrownBy(() -> feature().eventIdSecret(new byte[16]))
        .hasMessage("eventIdSecret must be at least 32 bytes, was 16");
  }

  private String bearer(byte[] tokenSecret) {
    String token =
        JwtTokens.builder(tokenSecret).build().issueAccessToken(new Caller("acme", "jane")).value();
    return "Bearer " + token;
  }

  private int resumeStatus(ErrandFeature feature, String id) throws Exception {
    try (TestServer server = TestServer.start(feature);
        SseClient resumed = SseClient.open(http, server.uri("api/v1/events"), null, id)) {
      if (resumed.status() == 200) {
        // the event after the id; read, so that no write is under way when the server stops
        assertThat(resumed.next(Duration.ofSeconds(10))).isNotNull();
      }
      return resumed.status();
    }
  }
}
