package dev.errand.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server on H2 in a fresh directory, as a new user starts it, over HTTP. */
class ErrandServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;
  private final HttpClient http = HttpClient.newHttpClient();

  private ServerOptions options() {
    return ServerOptions.parse(
        java.util.List.of("--data", data.toString(), "--port", "0", "--demo-step-pause-ms", "0"));
  }

  private JsonNode call(int port, String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.header("Content-Type", "application/json")
        .method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isLessThan(300);
    return JSON.readTree(r.body());
  }

  private static String printed(String output, String label) {
    Matcher m = Pattern.compile(label + ": (\\S+)").matcher(output);
    assertThat(m.find()).as(label + " printed in:\n" + output).isTrue();
    return m.group(1);
  }

  @Test
  void runsOnPostgresqlGivenAJdbcUrl() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ServerOptions options =
          ServerOptions.parse(
              java.util.List.of(
                  "--data",
                  data.toString(),
                  "--port",
                  "0",
                  "--demo-step-pause-ms",
                  "0",
                  "--jdbc-url",
                  postgres.getJdbcUrl("postgres", "postgres"),
                  "--jdbc-user",
                  "postgres",
                  "--jdbc-password",
                  "postgres"));
      try (ErrandServer server =
          ErrandServer.start(options, new PrintStream(out, true, StandardCharsets.UTF_8))) {
        String password = printed(out.toString(StandardCharsets.UTF_8), "password");
        int port = server.port();
        String token =
            call(
                    port,
                    "POST",
                    "/auth/login",
                    null,
                    "{\"username\": \"dev@errand.local\", \"password\": \"" + password + "\"}")
                .path("access_token")
                .asText();
        String id =
            call(port, "POST", "/api/v1/tasks", token, "{\"task_type\": \"notification_agent\"}")
                .path("task_id")
                .asText();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    call(port, "GET", "/api/v1/tasks/" + id, token, null)
                        .path("status")
                        .asText()
                        .equals("completed"));
      }
      try (var c = postgres.getPostgresDatabase().getConnection();
          var rs = c.createStatement().executeQuery("SELECT count(*) FROM errand_tasks")) {
        rs.next();
        assertThat(rs.getInt(1)).as("the task is in PostgreSQL").isEqualTo(1);
      }
      assertThat(data.resolve("errand.mv.db")).as("no H2 database was made").doesNotExist();
    }
  }

  @Test
  void firstStartPrintsCredentialsThatWorkAndASecondStartKeepsThemAndTheTasks() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String password;
    String taskId;
    try (ErrandServer server =
        ErrandServer.start(options(), new PrintStream(out, true, StandardCharsets.UTF_8))) {
      String printedText = out.toString(StandardCharsets.UTF_8);
      password = printed(printedText, "password");
      String apiKey = printed(printedText, "API key for /api/v1/agent-task");
      assertThat(Files.readString(data.resolve("server.json"))).doesNotContain(password);
      int port = server.port();
      String token =
          call(
                  port,
                  "POST",
                  "/auth/login",
                  null,
                  "{\"username\": \"dev@errand.local\", \"password\": \"" + password + "\"}")
              .path("access_token")
              .asText();
      taskId =
          call(
                  port,
                  "POST",
                  "/api/v1/tasks",
                  token,
                  "{\"task_type\": \"research_agent\", \"input\": {\"query\": \"q\","
                      + " \"sources\": [\"news_feeds\"]}}")
              .path("task_id")
              .asText();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  call(port, "GET", "/api/v1/tasks/" + taskId, token, null)
                      .path("status")
                      .asText()
                      .equals("completed"));
      JsonNode results = call(port, "GET", "/api/v1/tasks/" + taskId + "/results", token, null);
      assertThat(results.path("results").path("executive_summary").path("title").asText())
          .isEqualTo("Research: q");
      String agentTask =
          call(
                  port,
                  "POST",
                  "/api/v1/agent-task",
                  token,
                  "{\"caylex_api_key\": \""
                      + apiKey
                      + "\", \"user_email\": \"j@x.io\","
                      + " \"prompt\": \"One. Two.\"}")
              .path("task_id")
              .asText();
      JsonNode done =
          await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () -> call(port, "GET", "/api/v1/agent-task/" + agentTask, token, null),
                  s -> s.path("status").asText().equals("COMPLETED"));
      assertThat(done.path("result").path("tool_calls_made").asInt()).isEqualTo(2);
    }

    ByteArrayOutputStream again = new ByteArrayOutputStream();
    try (ErrandServer server =
        ErrandServer.start(options(), new PrintStream(again, true, StandardCharsets.UTF_8))) {
      assertThat(again.toString(StandardCharsets.UTF_8)).doesNotContain("password");
      int port = server.port();
      String token =
          call(
                  port,
                  "POST",
                  "/auth/login",
                  null,
                  "{\"username\": \"dev@errand.local\", \"password\": \"" + password + "\"}")
              .path("access_token")
              .asText();
      assertThat(call(port, "GET", "/api/v1/tasks/" + taskId, token, null).path("status").asText())
          .isEqualTo("completed");
    }
  }
}
