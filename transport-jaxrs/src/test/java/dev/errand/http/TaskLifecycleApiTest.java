package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.agent.Agent;
import dev.errand.agent.AgentResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** List, cancel and results against a running engine. */
class TaskLifecycleApiTest extends ApiTestSupport {
  private final CountDownLatch release = new CountDownLatch(1);

  /** Completes at once unless the input asks to wait, then waits for the test to release it. */
  @Override
  Agent agent() {
    return ctx -> {
      if (ctx.input().path("wait").asBoolean()) {
        ctx.progress(10, "waiting");
        release.await();
        ctx.step("after_release", String.class, () -> "x"); // a cancelled task stops here
      }
      return AgentResult.completed(
          Map.of("summary", "done", "processing_details", Map.of("sources_processed", 3)));
    };
  }

  @Override
  boolean startEngine() {
    return true;
  }

  @AfterEach
  void releaseAgents() {
    release.countDown();
  }

  private JsonNode awaitStatus(String id, String status) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> json(send("GET", "api/v1/tasks/" + id, "acme", null)),
            s -> s.path("status").asText().equals(status));
  }

  @Test
  void resultsOfACompletedTaskShowTheAgentsDetailsBesideTheResult() throws Exception {
    String id = submit("acme");
    awaitStatus(id, "completed");
    JsonNode results = json(send("GET", "api/v1/tasks/" + id + "/results", "acme", null));
    assertThat(results.path("task_id").asText()).isEqualTo(id);
    assertThat(results.path("status").asText()).isEqualTo("completed");
    assertThat(results.path("results").path("summary").asText()).isEqualTo("done");
    assertThat(results.path("results").has("processing_details")).isFalse();
    assertThat(results.path("processing_details").path("sources_processed").asInt()).isEqualTo(3);
    assertThat(results.path("processing_details").path("attempts").asInt()).isEqualTo(1);
    assertThat(results.path("completed_at").asText()).isNotBlank();
    envelope(
        send("POST", "api/v1/tasks/" + id + "/cancel", "acme", "{}"), 409, "TASK_ALREADY_FINISHED");
    envelope(send("GET", "api/v1/tasks/" + id + "/results", "globex", null), 404, "TASK_NOT_FOUND");
  }

  @Test
  void aProcessingTaskIsCancelledAtItsNextStepAndHasNoResultsBefore() throws Exception {
    String body = SUBMIT.replace("\"query\": \"Analyze Q3\"", "\"wait\": true");
    String id = json(send("POST", "api/v1/tasks", "acme", body)).path("task_id").asText();
    awaitStatus(id, "processing");
    envelope(
        send("GET", "api/v1/tasks/" + id + "/results", "acme", null), 409, "TASK_NOT_FINISHED");
    envelope(
        send(
            "POST",
            "api/v1/tasks/" + id + "/cancel",
            "acme",
            "{\"reason\": \"" + "r".repeat(1001) + "\"}"),
        400,
        "TASK_VALIDATION_FAILED");
    JsonNode cancelled =
        json(
            send(
                "POST",
                "api/v1/tasks/" + id + "/cancel",
                "acme",
                "{\"reason\": \"Task no longer needed\", \"force\": false}"));
    assertThat(cancelled.path("cancel_requested").asBoolean()).isTrue();
    assertThat(cancelled.path("reason").asText()).isEqualTo("Task no longer needed");
    release.countDown();
    awaitStatus(id, "cancelled");
  }

  @Test
  void listFiltersSortsAndPagesTheOrganizationsTasks() throws Exception {
    for (int i = 0; i < 3; i++) {
      awaitStatus(submit("acme"), "completed");
    }
    submit("globex");
    JsonNode page =
        json(
            send(
                "GET",
                "api/v1/tasks?status=processing,completed&task_type=research_agent"
                    + "&limit=2&offset=0&sort_by=created_at&sort_order=desc",
                "acme",
                null));
    assertThat(page.path("tasks")).hasSize(2);
    JsonNode first = page.path("tasks").get(0);
    assertThat(first.path("status").asText()).isEqualTo("completed");
    assertThat(first.path("progress_percentage").asInt()).isEqualTo(100);
    assertThat(first.path("duration_minutes").asLong()).isZero();
    assertThat(first.path("metadata").path("department").asText()).isEqualTo("finance");
    assertThat(page.path("pagination").path("total_count").asLong()).isEqualTo(3);
    assertThat(page.path("pagination").path("has_next").asBoolean()).isTrue();
    assertThat(page.path("pagination").path("limit").asInt()).isEqualTo(2);
    JsonNode rest = json(send("GET", "api/v1/tasks?limit=2&offset=2", "acme", null));
    assertThat(rest.path("tasks")).hasSize(1);
    assertThat(rest.path("pagination").path("has_next").asBoolean()).isFalse();
  }

  @Test
  void badListParametersAreEachNamed() throws Exception {
    JsonNode error =
        envelope(
            send(
                "GET",
                "api/v1/tasks?status=done&limit=abc&offset=-1&sort_by=name&sort_order=up",
                "acme",
                null),
            400,
            "TASK_VALIDATION_FAILED");
    assertThat(error.path("details").path("invalid_fields"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("status", "limit", "offset", "sort_by", "sort_order");
  }
}
