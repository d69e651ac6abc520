package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The task endpoints and the error envelope over real HTTP on loopback. */
class TasksApiTest extends ApiTestSupport {
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
  void aPendingTaskIsCancelledAtOnceWithOrWithoutABody() throws Exception {
    for (String body : new String[] {"null", "", "{}"}) {
      String id = submit("acme");
      HttpResponse<String> r = send("POST", "api/v1/tasks/" + id + "/cancel", "acme", body);
      assertThat(r.statusCode()).as(body + ": " + r.body()).isEqualTo(200);
      assertThat(json(r).path("status").asText()).isEqualTo("cancelled");
    }
  }

  @Test
  void anotherOrganizationsTaskIsNotFound() throws Exception {
    String id = json(send("POST", "api/v1/tasks", "acme", SUBMIT)).path("task_id").asText();
    envelope(send("GET", "api/v1/tasks/" + id, "globex", null), 404, "TASK_NOT_FOUND");
    envelope(send("GET", "api/v1/tasks/" + id + "/results", "globex", null), 404, "TASK_NOT_FOUND");
    envelope(send("POST", "api/v1/tasks/" + id + "/cancel", "globex", "{}"), 404, "TASK_NOT_FOUND");
    envelope(send("GET", "api/v1/agent-task/" + id, "globex", null), 404, "NOT_FOUND");
    assertThat(json(send("GET", "api/v1/tasks", "globex", null)).path("tasks")).isEmpty();
    assertThat(json(send("GET", "api/v1/tasks/" + id, "acme", null)).path("status").asText())
        .as("the cancel by another organization changed nothing")
        .isEqualTo("pending");
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
  void unknownFieldsAndWrongTypesAreNamed() throws Exception {
    JsonNode unknown =
        envelope(
            send("POST", "api/v1/tasks", "acme", "{\"tsak_type\": \"research_agent\"}"),
            400,
            "TASK_VALIDATION_FAILED");
    assertThat(unknown.path("details").path("invalid_fields").get(0).asText())
        .isEqualTo("tsak_type");
    JsonNode wrongType =
        envelope(
            send(
                "POST",
                "api/v1/tasks",
                "acme",
                "{\"task_type\": \"research_agent\", \"priority\": \"high\"}"),
            400,
            "TASK_VALIDATION_FAILED");
    assertThat(wrongType.path("details").path("invalid_fields").get(0).asText())
        .isEqualTo("priority");
    assertThat(wrongType.path("details").path("errors").get(0).path("rule").asText())
        .isEqualTo("must be a whole number");
  }

  @Test
  void anIdempotencyKeyRepeatedAnswersWithTheFirstTask() throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri("api/v1/tasks"))
            .header("Authorization", "Bearer acme:jane")
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", "order-42")
            .POST(HttpRequest.BodyPublishers.ofString(SUBMIT));
    String first =
        json(http.send(request.build(), HttpResponse.BodyHandlers.ofString()))
            .path("task_id")
            .asText();
    String again =
        json(http.send(request.build(), HttpResponse.BodyHandlers.ofString()))
            .path("task_id")
            .asText();
    assertThat(again).isEqualTo(first);
    assertThat(submit("acme")).as("without the key, a new task").isNotEqualTo(first);
  }

  /** Both bodies are read to the end and discarded, so the 413 reaches the client intact. */
  @Test
  void oversizeBodiesAreRefusedWithAndWithoutALength() throws Exception {
    String big =
        "{\"task_type\": \"research_agent\", \"input\": \"" + "x".repeat(2_000_000) + "\"}";
    HttpResponse<String> sized =
        http.send(
            HttpRequest.newBuilder(server.uri("api/v1/tasks"))
                .header("Authorization", "Bearer acme:jane")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(big))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    envelope(sized, 413, "PAYLOAD_TOO_LARGE");
    HttpResponse<String> chunked =
        http.send(
            HttpRequest.newBuilder(server.uri("api/v1/tasks"))
                .header("Authorization", "Bearer acme:jane")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    envelope(chunked, 413, "PAYLOAD_TOO_LARGE");
  }

  @Test
  void unreadableRequestsGetTheEnvelope() throws Exception {
    envelope(send("POST", "api/v1/tasks", "acme", "{\"task_type\": "), 400, "INVALID_JSON");
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
