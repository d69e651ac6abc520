package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.TaskEngineBuilder;
import dev.errand.agent.Agent;
import dev.errand.agent.AgentResult;
import dev.errand.agent.Skill;
import dev.errand.agent.SkillRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Contract B: agent tasks submitted with an API key and polled until an uppercase status. */
class AgentTaskApiTest extends ApiTestSupport {
  private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @Override
  Agent agent() {
    return ctx -> AgentResult.completed(null);
  }

  @Override
  boolean startEngine() {
    return true;
  }

  /** The agent records what it was given; a prompt "wait" waits for the test. */
  @Override
  void configure(TaskEngineBuilder engineBuilder) {
    engineBuilder.agent(
        "agent",
        ctx -> {
          seen.add(
              ctx.input().path("prompt").asText()
                  + "|"
                  + ctx.skillRef()
                  + "|"
                  + ctx.model()
                  + "|"
                  + ctx.ownerId());
          if (ctx.input().path("prompt").asText().equals("wait")) {
            release.await();
            ctx.step("after", String.class, () -> "x");
          }
          return AgentResult.completed(
              Map.of("text", "Summary drafted.", "tool_calls_made", 3),
              "Reviewed 12 tickets; all summarised.");
        });
  }

  @Override
  void configure(ErrandFeature.Builder feature) {
    feature.agentTasks(
        AgentTasks.builder()
            .apiKeys(ApiKeys.of(Map.of("ck_acme", "acme", "ck_globex", "globex")))
            .skills(
                SkillRegistry.of(
                    List.of(new Skill("sk_1", "Weekly Report", "Write the weekly report."))))
            .defaultModel("openai/gpt-5")
            .allowedModels(Set.of("anthropic/claude-opus-4.8"))
            .build());
  }

  @AfterEach
  void releaseAgents() {
    release.countDown();
  }

  private HttpResponse<String> submit(String org, String body) throws Exception {
    return send("POST", "api/v1/agent-task", org, body);
  }

  private JsonNode awaitFinal(String id) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> json(send("GET", "api/v1/agent-task/" + id, "acme", null)),
            s -> Set.of("COMPLETED", "INCOMPLETE", "FAILED").contains(s.path("status").asText()));
  }

  @Test
  void aPromptRunsWithItsSkillAndModelAndReportsItsResult() throws Exception {
    HttpResponse<String> r =
        submit(
            "acme",
            """
            {"caylex_api_key": "ck_acme", "user_email": "jane@example.com",
             "prompt": "Review last week's tickets.", "skill_ref": "weekly-report",
             "model": "anthropic/claude-opus-4.8"}""");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    JsonNode queued = json(r);
    assertThat(queued.path("task_id").asText()).matches("[0-9a-f-]{36}");
    assertThat(queued.path("status").asText()).isEqualTo("queued");
    assertThat(queued.path("model").asText()).isEqualTo("anthropic/claude-opus-4.8");
    assertThat(queued.path("model_warning").isNull()).isTrue();

    JsonNode done = awaitFinal(queued.path("task_id").asText());
    assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(done.path("report").asText()).isEqualTo("Reviewed 12 tickets; all summarised.");
    assertThat(done.path("result").path("text").asText()).isEqualTo("Summary drafted.");
    assertThat(done.path("result").path("tool_calls_made").asInt()).isEqualTo(3);
    assertThat(done.path("error").isNull()).isTrue();
    assertThat(done.path("completed_at").asText()).isNotBlank();
    assertThat(seen)
        .containsExactly(
            "Review last week's tickets.|sk_1|anthropic/claude-opus-4.8|jane@example.com");
  }

  @Test
  void anUnsupportedModelIsIgnoredWithAWarning() throws Exception {
    JsonNode queued =
        json(
            submit(
                "acme",
                """
                {"caylex_api_key": "ck_acme", "user_email": "jane@example.com",
                 "prompt": "p", "model": "someone/unknown-model"}"""));
    assertThat(queued.path("model").asText()).isEqualTo("openai/gpt-5");
    assertThat(queued.path("model_warning").asText())
        .contains("someone/unknown-model")
        .contains("openai/gpt-5");
  }

  @Test
  void aRepeatedIdempotencyKeyAnswersWithTheFirstTaskAndNeverWithAnotherKind() throws Exception {
    String body =
        "{\"caylex_api_key\": \"ck_acme\", \"user_email\": \"j@x.io\", \"prompt\": \"p\","
            + " \"model\": \"%s\"}";
    HttpRequest.Builder first =
        keyed("api/v1/agent-task", "k-1", body.formatted("someone/unknown"));
    JsonNode queued = json(http.send(first.build(), HttpResponse.BodyHandlers.ofString()));
    HttpRequest.Builder again =
        keyed("api/v1/agent-task", "k-1", body.formatted("anthropic/claude-opus-4.8"));
    JsonNode repeated = json(http.send(again.build(), HttpResponse.BodyHandlers.ofString()));
    assertThat(repeated.path("task_id").asText()).isEqualTo(queued.path("task_id").asText());
    assertThat(repeated.path("model").asText()).as("as first queued").isEqualTo("openai/gpt-5");
    assertThat(repeated.path("model_warning").asText()).contains("someone/unknown");

    http.send(keyed("api/v1/tasks", "k-2", SUBMIT).build(), HttpResponse.BodyHandlers.ofString());
    envelope(
        http.send(
            keyed("api/v1/agent-task", "k-2", body.formatted("x")).build(),
            HttpResponse.BodyHandlers.ofString()),
        409,
        "IDEMPOTENCY_KEY_REUSED");
    String researchTask = submit("acme").substring("task_".length());
    envelope(send("GET", "api/v1/agent-task/" + researchTask, "acme", null), 404, "TASK_NOT_FOUND");
  }

  private HttpRequest.Builder keyed(String path, String key, String body) {
    return HttpRequest.newBuilder(server.uri(path))
        .header("Authorization", "Bearer acme:jane")
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", key)
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  @Test
  void anUnknownSkillIsNotFound() throws Exception {
    JsonNode error =
        envelope(
            submit(
                "acme",
                """
                {"caylex_api_key": "ck_acme", "user_email": "jane@example.com",
                 "prompt": "p", "skill_ref": "no-such-skill"}"""),
            404,
            "SKILL_NOT_FOUND");
    assertThat(error.path("details").path("skill_ref").asText()).isEqualTo("no-such-skill");
  }

  @Test
  void keysAreCheckedAgainstTheCallersOrganization() throws Exception {
    String body = "{\"caylex_api_key\": \"%s\", \"user_email\": \"j@x.io\", \"prompt\": \"p\"}";
    envelope(submit("acme", body.formatted("ck_unknown")), 403, "FORBIDDEN");
    envelope(submit("acme", body.formatted("ck_globex")), 403, "FORBIDDEN");
    JsonNode missing =
        envelope(submit("acme", "{\"user_email\": \"nope\"}"), 400, "TASK_VALIDATION_FAILED");
    assertThat(missing.path("details").path("invalid_fields"))
        .extracting(JsonNode::asText)
        .containsExactly("caylex_api_key", "user_email", "prompt");
  }

  @Test
  void aCancelledTaskEndsAsFailedSoPollingClientsStop() throws Exception {
    String id =
        json(submit(
                "acme",
                "{\"caylex_api_key\": \"ck_acme\", \"user_email\": \"j@x.io\","
                    + " \"prompt\": \"wait\"}"))
            .path("task_id")
            .asText();
    await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
    send("POST", "api/v1/tasks/task_" + id + "/cancel", "acme", "{\"reason\": \"not needed\"}");
    release.countDown();
    JsonNode done = awaitFinal(id);
    assertThat(done.path("status").asText()).isEqualTo("FAILED");
    assertThat(done.path("error").path("code").asText()).isEqualTo("TASK_CANCELLED");
    assertThat(done.path("error").path("message").asText()).isEqualTo("not needed");
    envelope(send("GET", "api/v1/agent-task/" + id, "globex", null), 404, "TASK_NOT_FOUND");
  }
}
