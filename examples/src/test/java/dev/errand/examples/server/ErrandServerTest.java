package dev.errand.examples.server;

import static java.net.http.HttpResponse.BodyHandlers.ofString;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server in a fresh directory, as a new user starts it, over HTTP. */
class ErrandServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;

  private static JsonNode call(
      StartedServer server, String method, String path, String token, String body)
      throws Exception {
    return ApiCalls.call(server.base(), method, path, token, body);
  }

  private static JsonNode awaitStatus(
      StartedServer server, String path, String token, String status) {
    return ApiCalls.awaitStatus(server.base(), path, token, status);
  }

  @Test
  void firstStartPrintsCredentialsThatWorkAndASecondStartKeepsThemAndTheTasks() throws Exception {
    String password;
    String taskId;
    try (StartedServer server = StartedServer.start(data)) {
      password = server.password();
      assertThat(Files.readString(data.resolve("server.json"))).doesNotContain(password);
      String token = server.token(password);
      taskId =
          call(
                  server,
                  "POST",
                  "/api/v1/tasks",
                  token,
                  "{\"task_type\": \"research_agent\","
                      + " \"input\": {\"query\": \"q\", \"sources\": [\"news_feeds\"]}}")
              .path("task_id")
              .asText();
      awaitStatus(server, "/api/v1/tasks/" + taskId, token, "completed");
      JsonNode results = call(server, "GET", "/api/v1/tasks/" + taskId + "/results", token, null);
      assertThat(results.path("results").path("executive_summary").path("title").asText())
          .isEqualTo("Research: q");
      String agentTask =
          call(
                  server,
                  "POST",
                  "/api/v1/agent-task",
                  token,
                  "{\"caylex_api_key\": \""
                      + server.apiKey()
                      + "\", \"user_email\": \"j@x.io\","
                      + " \"prompt\": \"One. Two.\"}")
              .path("task_id")
              .asText();
      JsonNode done = awaitStatus(server, "/api/v1/agent-task/" + agentTask, token, "COMPLETED");
      assertThat(done.path("result").path("tool_calls_made").asInt()).isEqualTo(2);
    }

    try (StartedServer again = StartedServer.start(data)) {
      assertThat(again.printed()).doesNotContain("password");
      String token = again.token(password);
      assertThat(call(again, "GET", "/api/v1/tasks/" + taskId, token, null).path("status").asText())
          .isEqualTo("completed");
    }
  }

  @Test
  void aConfigFileFromBeforeWebhooksGetsAWebhookSecretOnce() throws Exception {
    StartedServer.start(data).close();
    Path file = data.resolve("server.json");
    ObjectNode old = (ObjectNode) JSON.readTree(file.toFile());
    old.remove("webhook_secret");
    Files.writeString(file, old.toString());
    String secret;
    try (StartedServer upgraded = StartedServer.start(data)) {
      secret = upgraded.printed("(shown once)");
      assertThat(secret).startsWith("whsec_");
    }
    assertThat(JSON.readTree(file.toFile()).path("webhook_secret").asText()).isEqualTo(secret);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (StartedServer again = StartedServer.start(data)) {
      assertThat(again.printed()).doesNotContain("whsec_");
    }
  }

  @Test
  void runsOnPostgresqlGivenAJdbcUrl() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      try (StartedServer server =
          StartedServer.start(
              data,
              "--jdbc-url",
              postgres.getJdbcUrl("postgres", "postgres"),
              "--jdbc-user",
              "postgres",
              "--jdbc-password",
              "postgres")) {
        String token = server.token(server.password());
        String id =
            call(server, "POST", "/api/v1/tasks", token, "{\"task_type\": \"notification_agent\"}")
                .path("task_id")
                .asText();
        awaitStatus(server, "/api/v1/tasks/" + id, token, "completed");
      }
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM errand_tasks")) {
        rs.next();
        assertThat(rs.getInt(1)).as("the task is in PostgreSQL").isEqualTo(1);
      }
      assertThat(data.resolve("errand.mv.db")).as("no H2 database was made").doesNotExist();
    }
  }

  /**
   * Issue 14, item 10: no answer names the server software or its version (Jetty's {@code Server:
   * Jetty(12...)}), neither the API's nor Jetty's own refusals, and each tells browsers not to
   * sniff its content type.
   */
  @Test
  void noAnswerNamesTheServerSoftware() throws Exception {
    try (StartedServer server = StartedServer.start(data)) {
      HttpClient http = HttpClient.newHttpClient();
      List<HttpResponse<String>> answers =
          List.of(
              http.send(request(server, "/api/v1/openapi.json").build(), ofString()),
              http.send(request(server, "/api/v1/tasks").build(), ofString()),
              http.send(request(server, "/nowhere").build(), ofString()),
              http.send(
                  request(server, "/api/v1/openapi.json")
                      .header("X-Big", "x".repeat(20_000))
                      .build(),
                  ofString()));
      assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(200, 401, 404, 431);
      for (HttpResponse<String> r : answers) {
        assertThat(r.headers().map()).as("answer %d", r.statusCode()).doesNotContainKey("server");
        assertThat(r.headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");
      }
      String refused = rawAnswer(server, "NONSENSE\r\n\r\n");
      assertThat(refused).startsWith("HTTP/1.1 400");
      assertThat(refused.toLowerCase(Locale.ROOT))
          .doesNotContain("\nserver:")
          .contains("\nx-content-type-options: nosniff");
    }
  }

  private static HttpRequest.Builder request(StartedServer server, String path) {
    return HttpRequest.newBuilder(URI.create(server.base() + path));
  }

  /** The head of the answer to bytes sent as they are, which HttpClient would not send. */
  private static String rawAnswer(StartedServer server, String sent) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.server().port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int headEnd = answer.indexOf("\r\n\r\n");
      return headEnd < 0 ? answer : answer.substring(0, headEnd + 2).replace("\r\n", "\n");
    }
  }
}
