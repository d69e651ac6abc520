package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.TaskEngineBuilder;
import dev.errand.agent.Agent;
import dev.errand.agent.AgentResult;
import dev.errand.testkit.MutableClock;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Our responses have every field of the documents' example responses, with the same JSON types
 * (src/test/resources/golden). Fields of the examples that are the example agent's own input
 * checks, not the API's, are listed where they are skipped.
 */
class GoldenShapesTest extends ApiTestSupport {
  private static final JsonNode RESULTS = read("tasks-results.json");

  /** The document's submit request. */
  private static final String DOCUMENT_SUBMIT =
      """
      {"task_type": "research_agent", "priority": 5,
       "input": {"query": "Analyze Q3 financial performance for tech sector",
                 "sources": ["financial_reports", "market_data", "earnings_calls"],
                 "analysis_depth": "comprehensive", "output_format": "executive_summary"},
       "webhook_url": "https://yourcompany.com/webhooks/tasks",
       "metadata": {"department": "finance", "project": "quarterly_analysis",
                    "requester": "jane.doe@company.com"}}""";

  private final MutableClock engineClock = MutableClock.at(Instant.now());
  private final CountDownLatch release = new CountDownLatch(1);

  /** Reports progress and a preview like the document's; waits when asked; returns its results. */
  @Override
  Agent agent() {
    return ctx -> {
      if (ctx.input().path("wait").asBoolean()) {
        ctx.preview(Map.of("key_insights", List.of("Tech sector showed 12% growth in Q3")));
        ctx.progress(65, "analyzing_market_data", List.of("data_collection", "source_validation"));
        release.await();
      }
      Map<String, Object> result = JSON.convertValue(RESULTS.path("results"), Map.class);
      result.put(
          "processing_details", JSON.convertValue(RESULTS.path("processing_details"), Map.class));
      return AgentResult.completed(result);
    };
  }

  @Override
  boolean startEngine() {
    return true;
  }

  @Override
  void configure(TaskEngineBuilder engineBuilder) {
    engineBuilder
        .clock(engineClock)
        .agent(
            "agent",
            ctx ->
                AgentResult.completed(
                    Map.of("text", "Summary.", "tool_calls_made", 18), "Reviewed 142 tickets."));
  }

  @Override
  void configure(ErrandFeature.Builder feature) {
    feature.agentTasks(
        AgentTasks.builder()
            .apiKeys(ApiKeys.of(Map.of("ck_acme", "acme")))
            .defaultModel("anthropic/claude-opus-4.8")
            .build());
  }

  @AfterEach
  void releaseAgents() {
    release.countDown();
  }

  private static JsonNode read(String name) {
    try (InputStream in = GoldenShapesTest.class.getResourceAsStream("/golden/" + name)) {
      return JSON.readTree(in);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read golden " + name, e);
    }
  }

  private static void assertShape(JsonNode ours, String golden, String... skipped) {
    Map<String, String> expected = new java.util.TreeMap<>(JsonShape.of(read(golden)));
    for (String s : skipped) {
      expected
          .keySet()
          .removeIf(k -> k.equals(s) || k.startsWith(s + ".") || k.startsWith(s + "["));
    }
    assertThat(JsonShape.of(ours)).as(golden + " in " + ours).containsAllEntriesOf(expected);
  }

  private JsonNode awaitTask(String id, String status) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> json(send("GET", "api/v1/tasks/" + id, "acme", null)),
            s -> s.path("status").asText().equals(status));
  }

  /** One task completed and two minutes passed, so estimates exist. */
  private String completedTask() throws Exception {
    String id =
        json(send("POST", "api/v1/tasks", "acme", DOCUMENT_SUBMIT)).path("task_id").asText();
    awaitTask(id, "completed");
    engineClock.advance(Duration.ofMinutes(2));
    return id;
  }

  @Test
  void taskApiResponses() throws Exception {
    String done = completedTask();
    assertShape(json(send("POST", "api/v1/tasks", "acme", DOCUMENT_SUBMIT)), "tasks-submit.json");
    String waiting =
        json(send(
                "POST",
                "api/v1/tasks",
                "acme",
                DOCUMENT_SUBMIT.replace("\"query\":", "\"wait\": true, \"query\":")))
            .path("task_id")
            .asText();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                awaitTask(waiting, "processing").path("progress").path("percentage").asInt() == 65);
    assertShape(json(send("GET", "api/v1/tasks/" + waiting, "acme", null)), "tasks-status.json");
    assertShape(
        json(send("GET", "api/v1/tasks?status=completed", "acme", null)), "tasks-list.json");
    assertShape(
        json(send("GET", "api/v1/tasks/" + done + "/results", "acme", null)), "tasks-results.json");
  }

  @Test
  void errorEnvelope() throws Exception {
    JsonNode error = json(send("POST", "api/v1/tasks", "acme", "{\"task_type\": \"nope\"}"));
    // valid_sources is the example agent's check of its own input, not the API's
    assertShape(error, "error-envelope.json", "error.details.valid_sources");
    assertThat(error.path("error").path("details").path("valid_task_types"))
        .extracting(JsonNode::asText)
        .containsExactly("agent", "research_agent");
  }

  @Test
  void agentTaskResponses() throws Exception {
    JsonNode queued =
        json(
            send(
                "POST",
                "api/v1/agent-task",
                "acme",
                "{\"caylex_api_key\": \"ck_acme\", \"user_email\": \"j@x.io\", \"prompt\": \"p\"}"));
    // model_warning is null in the example and in ours
    assertShape(queued, "agent-task-queued.json");
    String id = queued.path("task_id").asText();
    JsonNode done =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> json(send("GET", "api/v1/agent-task/" + id, "acme", null)),
                s -> Set.of("COMPLETED", "FAILED").contains(s.path("status").asText()));
    assertShape(done, "agent-task-status.json");
  }
}
