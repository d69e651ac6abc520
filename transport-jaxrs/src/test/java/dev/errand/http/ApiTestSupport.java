package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.TaskEngine;
import dev.errand.TaskEngineBuilder;
import dev.errand.agent.Agent;
import dev.errand.agent.AgentResult;
import dev.errand.store.memory.InMemoryTaskStore;
import dev.errand.testkit.MutableClock;
import dev.errand.webhook.WebhookSecret;
import dev.errand.webhook.WebhookSecrets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * An engine on the in-memory store behind the task API on Jetty, and an HTTP client for it.
 * Credentials in these tests are {@code Bearer <organization>:<user>}.
 */
abstract class ApiTestSupport {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SUBMIT =
      """
      {"task_type": "research_agent", "priority": 5,
       "input": {"query": "Analyze Q3"},
       "webhook_url": "https://example.com/hooks",
       "metadata": {"department": "finance"}}""";

  final HttpClient http = HttpClient.newHttpClient();

  /** The API's clock (not the engine's): rate limits and envelope timestamps. */
  final MutableClock clock = MutableClock.at(Instant.now());

  TaskEngine engine;
  TestServer server;

  /** The agent behind research_agent; by default it completes at once. */
  Agent agent() {
    return ctx -> AgentResult.completed(null);
  }

  /** Whether the engine runs tasks; by default not, and they stay pending. */
  boolean startEngine() {
    return false;
  }

  /** Whether the server also serves the feature's WebSocket (the feature then needs tokens). */
  boolean webSocket() {
    return false;
  }

  /** More agents, for tests that need them. */
  void configure(TaskEngineBuilder engineBuilder) {}

  /** More of the feature, for tests that need it. */
  void configure(ErrandFeature.Builder feature) {}

  /** The limits under test; none unless a test is about them. */
  RateLimits rateLimits() {
    return RateLimits.unlimited();
  }

  private static Optional<Caller> fromHeader(String header) {
    if (header == null || !header.startsWith("Bearer ") || !header.contains(":")) {
      return Optional.empty();
    }
    String[] parts = header.substring(7).split(":", 2);
    return Optional.of(new Caller(parts[0], parts[1]));
  }

  @BeforeEach
  void start() throws Exception {
    TaskEngineBuilder engineBuilder =
        TaskEngine.builder()
            .store(new InMemoryTaskStore())
            .agent("research_agent", agent())
            .webhookSecrets(WebhookSecrets.of(WebhookSecret.generate()));
    configure(engineBuilder);
    engine = engineBuilder.build();
    if (startEngine()) {
      engine.start();
    }
    ErrandFeature.Builder feature =
        ErrandFeature.builder(engine)
            .authenticator(r -> fromHeader(r.getHeaderString("Authorization")))
            .rateLimits(rateLimits())
            .clock(clock);
    configure(feature);
    server = TestServer.start(feature.build(), webSocket());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    engine.close();
  }

  /** Sends a request as a user of {@code org} (none when null), with a JSON body if given. */
  HttpResponse<String> send(String method, String path, String org, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path));
    if (org != null) {
      b.header("Authorization", "Bearer " + org + ":jane");
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  /** Asserts the envelope's shape and that its request_id is the header's. */
  static JsonNode envelope(HttpResponse<String> r, int status, String code) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode error = json(r).path("error");
    assertThat(error.path("code").asText()).isEqualTo(code);
    assertThat(error.path("message").asText()).isNotBlank();
    assertThat(error.path("request_id").asText())
        .startsWith("req_")
        .isEqualTo(r.headers().firstValue("X-Request-ID").orElseThrow());
    assertThat(error.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    return error;
  }

  /** Submits the sample task for the organization and returns its wire id. */
  String submit(String org) throws Exception {
    HttpResponse<String> r = send("POST", "api/v1/tasks", org, SUBMIT);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return json(r).path("task_id").asText();
  }
}
