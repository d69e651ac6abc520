package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.TaskEngine;
import dev.errand.agent.AgentResult;
import dev.errand.store.memory.InMemoryTaskStore;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The task endpoints and the error envelope over real HTTP on loopback. */
class TasksApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUBMIT =
      """
      {"task_type": "research_agent", "priority": 5,
       "input": {"query": "Analyze Q3"},
       "webhook_url": "https://example.com/hooks",
       "metadata": {"department": "finance"}}""";

  private final HttpClient http = HttpClient.newHttpClient();
  private TaskEngine engine;
  private TestServer server;

  /** Test credentials: {@code Bearer <organization>:<user>}. */
  private static Optional<Caller> fromHeader(String header) {
    if (header == null || !header.startsWith("Bearer ") || !header.contains(":")) {
      return Optional.empty();
    }
    String[] parts = header.substring(7).split(":", 2);
    return Optional.of(new Caller(parts[0], parts[1]));
  }

  @BeforeEach
  void start() throws Exception {
    engine =
        TaskEngine.builder()
            .store(new InMemoryTaskStore())
            .agent("research_agent", ctx -> AgentResult.completed(null))
            .build();
    server =
        TestServer.start(
            ErrandFeature.builder(engine)
                .authenticator(r -> fromHeader(r.getHeaderString("Authorization")))
                .build());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    engine.close();
  }

  private HttpResponse<String> send(String method, String path, String org, String body)
      throws Exception {
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

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  /** Asserts the envelope's shape and that its request_id is the header's. */
  private static JsonNode envelope(HttpResponse<String> r, int status, String code)
      throws Exception {
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

  @Test
  void submitAnswersAcceptedAndTheTaskCanBeRead() throws Exception {
    HttpResponse<String> submitted = send("POST", "api/v1/tasks", "acme", SUBMIT);
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    JsonNode accepted = json(submitted);
    assertThat(accepted.path("task_id").asText()).matches("task_[0-9a-f-]{36}");
    assertThat(accepted.path("status").asText()).isEqualTo("accepted");
    assertThat(accepted.path("task_type").asText()).isEqualTo("research_agent");
    assertThat(accepted.path("priority").asInt()).isEqualTo(5);
    assertThat(accepted.path("webhook_configured").asBoolean()).isTrue();
    assertThat(accepted.path("metadata").path("department").asText()).isEqualTo("finance");
    assertThat(submitted.headers().firstValue("X-Request-ID")).isPresent();

    String id = accepted.path("task_id").asText();
    HttpResponse<String> got = send("GET", "api/v1/tasks/" + id, "acme", null);
    assertThat(got.statusCode()).isEqualTo(200);
    JsonNode status = json(got);
    assertThat(status.path("task_id").asText()).isEqualTo(id);
    assertThat(status.path("status").asText()).isEqualTo("pending");
    assertThat(status.path("progress").path("percentage").asInt()).isZero();
    assertThat(status.path("progress").path("stages_completed").isArray()).isTrue();
    assertThat(status.has("last_updated")).isTrue();
  }

  @Test
  void anotherOrganizationsTaskIsNotFound() throws Exception {
    String id = json(send("POST", "api/v1/tasks", "acme", SUBMIT)).path("task_id").asText();
    envelope(send("GET", "api/v1/tasks/" + id, "globex", null), 404, "TASK_NOT_FOUND");
    envelope(send("GET", "api/v1/tasks/task_nonsense", "acme", null), 404, "TASK_NOT_FOUND");
  }

  @Test
  void missingCredentialsAreUnauthorized() throws Exception {
    envelope(send("GET", "api/v1/tasks/task_x", null, null), 401, "UNAUTHORIZED");
    envelope(send("POST", "api/v1/tasks", null, SUBMIT), 401, "UNAUTHORIZED");
  }

  @Test
  void badSubmitsNameEachInvalidField() throws Exception {
    JsonNode error =
        envelope(
            send("POST", "api/v1/tasks", "acme", "{\"priority\": 11}"),
            400,
            "TASK_VALIDATION_FAILED");
    assertThat(error.path("details").path("invalid_fields"))
        .extracting(JsonNode::asText)
        .contains("task_type", "priority");
  }

  @Test
  void unreadableRequestsGetTheEnvelope() throws Exception {
    envelope(send("POST", "api/v1/tasks", "acme", "{\"task_type\": "), 400, "INVALID_JSON");
    envelope(send("POST", "api/v1/tasks", "acme", "{\"tsak_type\": \"x\"}"), 400, "INVALID_JSON");
    envelope(send("GET", "api/v1/nowhere", "acme", null), 404, "NOT_FOUND");
    envelope(send("DELETE", "api/v1/tasks", "acme", null), 405, "METHOD_NOT_ALLOWED");
    HttpResponse<String> text =
        http.send(
            HttpRequest.newBuilder(server.uri("api/v1/tasks"))
                .header("Authorization", "Bearer acme:jane")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(SUBMIT))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    envelope(text, 415, "UNSUPPORTED_MEDIA_TYPE");
  }
}
