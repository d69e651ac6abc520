package dev.errand.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
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
}
