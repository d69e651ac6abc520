package dev.errand.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server with a language model configured in its environment: the agent-task API's
 * prompts go to the model (a scripted OpenAI-compatible server here), with the allowed models and
 * the warning for another.
 */
class LlmServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;
  private HttpServer provider;
  private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  private final List<String> keys = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startProvider() throws Exception {
    provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    provider.createContext(
        "/v1/chat/completions",
        exchange -> {
          try (exchange) {
            requests.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            keys.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body =
                ("{\"choices\": [{\"message\": {\"role\": \"assistant\","
                        + " \"content\": \"Summary written; nothing left.\"}}],"
                        + " \"usage\": {\"total_tokens\": 12}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
        });
    provider.start();
  }

  @AfterEach
  void stopProvider() {
    provider.stop(0);
  }

  private Map<String, String> env() {
    return Map.of(
        "ERRAND_LLM_BASE_URL", "http://127.0.0.1:" + provider.getAddress().getPort() + "/v1",
        "ERRAND_LLM_API_KEY", "sk-server-test",
        "ERRAND_LLM_MODEL", "test/default",
        "ERRAND_LLM_MODELS", "test/other");
  }

  @Test
  void agentTasksRunOnTheConfiguredModelAndAnUnlistedModelGetsAWarning() throws Exception {
    try (StartedServer server = StartedServer.start(data, env())) {
      String token = server.token(server.password());
      JsonNode queued = submit(server, token, "someone/unknown");
      assertThat(queued.path("model").asText()).isEqualTo("test/default");
      assertThat(queued.path("model_warning").asText()).contains("someone/unknown");
      JsonNode done =
          ApiCalls.awaitStatus(
              server.base(),
              "/api/v1/agent-task/" + queued.path("task_id").asText(),
              token,
              "COMPLETED");
      assertThat(done.path("result").path("text").asText())
          .isEqualTo("Summary written; nothing left.");
      assertThat(done.path("report").asText()).isEqualTo("Summary written; nothing left.");

      JsonNode other = submit(server, token, "test/other");
      assertThat(other.path("model_warning").isNull()).isTrue();
      ApiCalls.awaitStatus(
          server.base(),
          "/api/v1/agent-task/" + other.path("task_id").asText(),
          token,
          "COMPLETED");
    }
    assertThat(requests)
        .extracting(r -> r.path("model").asText())
        .containsExactly("test/default", "test/other");
    assertThat(requests.get(0).path("messages").path(1).path("content").asText())
        .isEqualTo("Write the summary.");
    assertThat(keys).containsOnly("Bearer sk-server-test");
  }

  @Test
  void aPartialModelConfigurationIsRefused() {
    assertThatThrownBy(
            () -> StartedServer.start(data, Map.of("ERRAND_LLM_BASE_URL", "https://x.test/v1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ERRAND_LLM_API_KEY");
  }

  private static JsonNode submit(StartedServer server, String token, String model)
      throws Exception {
    String body =
        JSON.createObjectNode()
            .put("caylex_api_key", server.apiKey())
            .put("user_email", "jane@acme.test")
            .put("prompt", "Write the summary.")
            .put("model", model)
            .toString();
    return ApiCalls.call(server.base(), "POST", "/api/v1/agent-task", token, body);
  }
}
