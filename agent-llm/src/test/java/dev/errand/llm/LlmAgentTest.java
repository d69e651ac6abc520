package dev.errand.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.errand.LeaseLostException;
import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.TaskStatus;
import dev.errand.agent.Skill;
import dev.errand.agent.SkillRegistry;
import dev.errand.llm.FakeProvider.Reply;
import dev.errand.spi.TaskStore;
import dev.errand.store.memory.InMemoryTaskStore;
import dev.errand.testkit.EngineScenarioSupport;
import dev.errand.testkit.ManualTimer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent against a scripted OpenAI-compatible server over real HTTP, on engines with a moved
 * clock.
 */
class LlmAgentTest extends EngineScenarioSupport {
  private static final String KEY = "sk-test-provider-key";
  private final List<String> lookups = new CopyOnWriteArrayList<>();
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private FakeProvider provider;

  /** Looks a word up; counts its calls. */
  private final Tool lookup =
      new Tool() {
        @Override
        public String name() {
          return "lookup";
        }

        @Override
        public String description() {
          return "Looks a word up.";
        }

        @Override
        public JsonNode parameters() {
          return JsonNodeFactory.instance.objectNode().put("type", "object");
        }

        @Override
        public String call(JsonNode arguments, ToolCall call) {
          String word = arguments.path("word").asText();
          lookups.add(word);
          return word + " means " + word.toUpperCase();
        }
      };

  @Override
  protected TaskStore newStore() {
    return new InMemoryTaskStore();
  }

  @AfterEach
  void stopProvider() {
    if (provider != null) {
      provider.close();
    }
  }

  private LlmAgent agent(UnaryOperator<LlmAgent.Builder> more) {
    ChatClient client =
        ChatClient.builder(provider.baseUrl(), KEY)
            .sleeper((d, abort) -> waits.add(d))
            .clock(clock)
            .build();
    return more.apply(
            LlmAgent.builder(client, "test/default-model").tools(List.of(lookup)).clock(clock))
        .build();
  }

  private static TaskRequest prompt(String text) {
    return TaskRequest.builder(TYPE)
        .input(Map.of("prompt", text, "user_email", "jane@acme.test"))
        .build();
  }

  @Test
  void aRunWithThreeToolCallsCompletesWithTheModelsReport() throws Exception {
    provider =
        FakeProvider.start(
            r ->
                switch (FakeProvider.turn(r)) {
                  case 0 -> Reply.tools("lookup", "{\"word\": \"a\"}");
                  case 1 ->
                      Reply.tools("lookup", "{\"word\": \"b\"}", "lookup", "{\"word\": \"c\"}");
                  default -> Reply.text("Looked up a, b and c. Nothing is left to do.", 50);
                });
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine = engine(timer, agent(b -> b));
    Task task = engine.submit(prompt("Look up a, b and c."));
    engine.start();
    Task done = awaitStatus(timer, task.id(), TaskStatus.COMPLETED);

    assertThat(done.report()).isEqualTo("Looked up a, b and c. Nothing is left to do.");
    assertThat(done.result().path("text").asText()).isEqualTo(done.report());
    assertThat(done.result().path("tool_calls_made").asInt()).isEqualTo(3);
    assertThat(done.result().path("model_calls").asInt()).isEqualTo(3);
    assertThat(done.result().path("total_tokens").asLong()).isEqualTo(250);
    assertThat(lookups).containsExactly("a", "b", "c");
    assertThat(provider.requests()).hasSize(3);
    JsonNode last = provider.requests().get(2);
    assertThat(last.path("model").asText()).isEqualTo("test/default-model");
    assertThat(last.path("tools").path(0).path("function").path("name").asText())
        .isEqualTo("lookup");
    List<String> roles = new ArrayList<>();
    last.path("messages").forEach(m -> roles.add(m.path("role").asText()));
    assertThat(roles)
        .containsExactly("system", "user", "assistant", "tool", "assistant", "tool", "tool");
    assertThat(last.path("messages").path(6).path("content").asText()).isEqualTo("c means C");
    assertThat(last.path("messages").path(6).path("tool_call_id").asText()).isEqualTo("call_2");
    assertThat(provider.authorizations()).containsOnly("Bearer " + KEY);
    assertThat(done.outputPreview().path("latest_text").asText()).isEqualTo(done.report());
    assertThat(done.progress().stagesCompleted())
        .containsSubsequence("model_call_1", "tool:lookup", "model_call_2");
    assertThat(done.progress().currentStage()).isEqualTo("model_call_3");
  }

  @Test
  void modelCallAndTokenBudgetsEndIncompleteToo() throws Exception {
    assertThat(runOutOf(new Budgets(2, 50, 1_000_000, Duration.ofHours(1))))
        .as("two model calls, then the report")
        .isEqualTo(3);
    assertThat(runOutOf(new Budgets(50, 50, 150, Duration.ofHours(1))))
        .as("100 tokens a call: two calls reach 150, then the report")
        .isEqualTo(6);
  }

  /** Runs a task whose model always wants a tool under the budgets; the requests made so far. */
  private int runOutOf(Budgets budgets) throws Exception {
    if (provider == null) {
      provider =
          FakeProvider.start(
              r ->
                  !"none".equals(r.path("tool_choice").asText())
                      ? Reply.tools("lookup", "{\"word\": \"x\"}")
                      : Reply.text("Out of budget.", 1));
    }
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine = engine(timer, agent(b -> b.budgets(budgets)));
    Task task = engine.submit(prompt("Keep going."));
    engine.start();
    Task done = awaitStatus(timer, task.id(), TaskStatus.INCOMPLETE);
    assertThat(done.report()).isEqualTo("Out of budget.");
    engine.close();
    return provider.requests().size();
  }

  @Test
  void aRunWhoseLeaseIsLostResumesWithoutRepeatingAnyCompletedCall() throws Exception {
    CountDownLatch thirdCallArrived = new CountDownLatch(1);
    CountDownLatch releaseFirstThirdCall = new CountDownLatch(1);
    AtomicBoolean heldOne = new AtomicBoolean();
    provider =
        FakeProvider.start(
            r -> {
              switch (FakeProvider.turn(r)) {
                case 0:
                  return Reply.tools("lookup", "{\"word\": \"a\"}");
                case 1:
                  return Reply.tools("lookup", "{\"word\": \"b\"}");
                default:
                  if (heldOne.compareAndSet(
                      false, true)) { // engine A's call: it never returns in time
                    thirdCallArrived.countDown();
                    awaitQuietly(releaseFirstThirdCall);
                  }
                  return Reply.text("Done with a and b.", 10);
              }
            });
    AtomicReference<Throwable> seenByA = new AtomicReference<>();
    ManualTimer timerA = new ManualTimer(clock);
    ManualTimer timerB = new ManualTimer(clock);
    LlmAgent llm = agent(b -> b);
    TaskEngine a =
        engine(
            timerA,
            ctx -> {
              try {
                return llm.run(ctx);
              } catch (Throwable t) {
                seenByA.compareAndSet(null, t);
                throw t;
              }
            });
    TaskEngine b = engine(timerB, llm);
    Task task = startInStep(timerA, a, prompt("Look up a and b."), thirdCallArrived);

    b.start();
    timerB.advance(LEASE.plusSeconds(10)); // A never heartbeats: its lease expires, B takes over
    Task done = awaitStatus(timerB, task.id(), TaskStatus.COMPLETED);

    assertThat(done.attempt()).as("A's lost lease spent no attempt").isEqualTo(1);
    assertThat(done.leaseLosses()).isEqualTo(1);
    assertThat(provider.requestsFor(0)).as("model call 1").isEqualTo(1);
    assertThat(provider.requestsFor(1)).as("model call 2").isEqualTo(1);
    assertThat(provider.requestsFor(2)).as("the interrupted call, made again").isEqualTo(2);
    assertThat(lookups).as("each tool call once").containsExactly("a", "b");
    assertThat(done.result().path("tool_calls_made").asInt()).isEqualTo(2);

    releaseFirstThirdCall.countDown();
    await().atMost(WAIT).until(() -> seenByA.get() != null);
    assertThat(seenByA.get()).isInstanceOf(LeaseLostException.class);
  }

  @Test
  void aRunResumedPastItsTimeBudgetDecidesAsTheFirstRunDid() throws Exception {
    CountDownLatch secondCallArrived = new CountDownLatch(1);
    AtomicBoolean heldOne = new AtomicBoolean();
    provider =
        FakeProvider.start(
            r -> {
              if (FakeProvider.turn(r) == 0) {
                return Reply.tools("lookup", "{\"word\": \"a\"}");
              }
              if (heldOne.compareAndSet(false, true)) { // engine A's call: it never returns
                secondCallArrived.countDown();
                awaitQuietly(new CountDownLatch(1));
              }
              return Reply.text("Looked up a.", 10);
            });
    LlmAgent llm = agent(b -> b.budgets(new Budgets(10, 10, 1_000_000, Duration.ofHours(1))));
    ManualTimer timerA = new ManualTimer(clock);
    ManualTimer timerB = new ManualTimer(clock);
    TaskEngine a = engine(timerA, llm);
    TaskEngine b = engine(timerB, llm);
    TaskRequest request =
        TaskRequest.builder(TYPE)
            .input(Map.of("prompt", "Look up a.", "user_email", "jane@acme.test"))
            .timeout(Duration.ofHours(5))
            .build();
    Task task = startInStep(timerA, a, request, secondCallArrived);

    b.start();
    timerB.advance(Duration.ofHours(2)); // past the lease, and past the hour of the time budget
    Task done = awaitStatus(timerB, task.id(), TaskStatus.COMPLETED);
    assertThat(done.report())
        .as("the second call was decided before the hour was up, and is made again")
        .isEqualTo("Looked up a.");
    assertThat(done.result().path("tool_calls_made").asInt()).isEqualTo(1);
    assertThat(lookups).containsExactly("a");
    assertThat(provider.requestsFor(0)).isEqualTo(1);
  }

  @Test
  void aRetryAfterDateIsWaitedForAndALongerOneLeavesItToTheEnginesRetries() throws Exception {
    String inThirtySeconds =
        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
            clock.instant().plusSeconds(30).atZone(java.time.ZoneOffset.UTC));
    List<Reply> replies =
        new ArrayList<>(
            List.of(
                Reply.status(429, Map.of("Retry-After", inThirtySeconds), "{}"),
                Reply.text("Fine.", 1),
                Reply.status(429, Map.of("Retry-After", "120"), "{}")));
    provider = FakeProvider.start(r -> replies.remove(0));
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine = engine(timer, agent(b -> b));
    Task first = engine.submit(prompt("One."));
    engine.start();
    awaitStatus(timer, first.id(), TaskStatus.COMPLETED);
    assertThat(waits).containsExactly(Duration.ofSeconds(30));

    Task second = engine.submit(prompt("Two."));
    await()
        .atMost(WAIT)
        .until(
            () -> {
              timer.runDue();
              return "MODEL_PROVIDER_FAILING"
                  .equals(store.find(second.id()).orElseThrow().errorCode());
            });
    dev.errand.spi.TaskRecord retrying = store.find(second.id()).orElseThrow();
    assertThat(retrying.status()).as("to be tried again later").isEqualTo(TaskStatus.PENDING);
    assertThat(retrying.errorMessage()).contains("asks to wait 120 s");
  }

  @Test
  void aToolBudgetRunningOutEndsIncompleteWithTheModelsReport() throws Exception {
    provider =
        FakeProvider.start(
            r ->
                !"none".equals(r.path("tool_choice").asText())
                    ? Reply.tools("lookup", "{\"word\": \"a\"}", "lookup", "{\"word\": \"b\"}")
                    : Reply.text("Looked up a. Still to do: look up b.", 5));
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine =
        engine(timer, agent(b -> b.budgets(new Budgets(10, 1, 1_000_000, Duration.ofHours(1)))));
    Task task = engine.submit(prompt("Look up a and b."));
    engine.start();
    Task done = awaitStatus(timer, task.id(), TaskStatus.INCOMPLETE);

    assertThat(done.report()).isEqualTo("Looked up a. Still to do: look up b.");
    assertThat(done.result().path("tool_calls_made").asInt()).isEqualTo(1);
    assertThat(lookups).containsExactly("a");
    JsonNode report = provider.requests().get(1);
    assertThat(report.path("tool_choice").asText())
        .as("the report is asked for without tool calls")
        .isEqualTo("none");
    assertThat(report.has("tools")).as("but with the tools the history mentions").isTrue();
    JsonNode messages = report.path("messages");
    assertThat(messages.path(4).path("content").asText())
        .startsWith("not run: the budget of 1 tool calls");
    assertThat(messages.path(messages.size() - 1).path("content").asText())
        .contains("the budget of 1 tool calls is used up");
  }

  @Test
  void aTimeBudgetRunningOutEndsIncompleteToo() throws Exception {
    provider =
        FakeProvider.start(
            r -> {
              clock.advance(Duration.ofMinutes(25)); // each call takes 25 minutes of the hour
              return !"none".equals(r.path("tool_choice").asText())
                  ? Reply.tools("lookup", "{\"word\": \"a\"}")
                  : Reply.text("Ran out of time after a.", 5);
            });
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine = engine(timer, agent(b -> b), b -> b.leaseDuration(Duration.ofHours(3)));
    Task task = engine.submit(prompt("Look up everything."));
    engine.start();
    Task done = awaitStatus(timer, task.id(), TaskStatus.INCOMPLETE);
    assertThat(done.report()).isEqualTo("Ran out of time after a.");
    assertThat(provider.requests())
        .as("three calls, at 0, 25 and 50 minutes, then the report")
        .hasSize(4);
    assertThat(done.result().path("tool_calls_made").asInt()).isEqualTo(3);
  }

  @Test
  void aSkillIsLoadedBeforeAnythingElse() throws Exception {
    provider = FakeProvider.start(r -> Reply.text("Triaged.", 5));
    SkillRegistry skills =
        SkillRegistry.of(
            List.of(new Skill("skill_42", "Ticket triage", "Always triage by severity first.")));
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine = engine(timer, agent(b -> b.skills(skills)));
    Task task =
        engine.submit(
            TaskRequest.builder(TYPE)
                .input(Map.of("prompt", "Triage the tickets.", "user_email", "jane@acme.test"))
                .skillRef("skill_42")
                .model("test/other-model")
                .build());
    engine.start();
    awaitStatus(timer, task.id(), TaskStatus.COMPLETED);

    JsonNode first = provider.requests().get(0);
    assertThat(first.path("model").asText()).isEqualTo("test/other-model");
    JsonNode messages = first.path("messages");
    assertThat(messages.path(0).path("content").asText()).isEqualTo(LlmAgent.SYSTEM);
    assertThat(messages.path(1).path("role").asText()).isEqualTo("system");
    assertThat(messages.path(1).path("content").asText())
        .startsWith("Skill \"Ticket triage\" is loaded")
        .endsWith("Always triage by severity first.");
    assertThat(messages.path(2).path("content").asText()).isEqualTo("Triage the tickets.");
  }

  @Test
  void theProvidersOverloadAndFailuresAreRetriedHonouringRetryAfter() throws Exception {
    List<Reply> replies =
        new ArrayList<>(
            List.of(
                Reply.status(429, Map.of("Retry-After", "3"), "{\"error\": \"slow down\"}"),
                Reply.status(500, Map.of(), "{\"error\": \"oops\"}"),
                new Reply(200, Map.of(), "this is not JSON"),
                Reply.text("Fine now.", 5)));
    provider = FakeProvider.start(r -> replies.remove(0));
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine = engine(timer, agent(b -> b));
    Task task = engine.submit(prompt("Say something."));
    engine.start();
    Task done = awaitStatus(timer, task.id(), TaskStatus.COMPLETED);
    assertThat(done.report()).isEqualTo("Fine now.");
    assertThat(done.attempt()).as("all within one step of one run").isEqualTo(1);
    assertThat(provider.requests()).hasSize(4);
    assertThat(waits).hasSize(3);
    assertThat(waits.get(0)).as("Retry-After").isEqualTo(Duration.ofSeconds(3));
    assertThat(waits.get(1)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(2000));
    assertThat(waits.get(2)).isBetween(Duration.ofMillis(2000), Duration.ofMillis(4000));
  }

  @Test
  void aRefusedKeyFailsTheTaskAtOnceWithAClearError() throws Exception {
    provider =
        FakeProvider.start(
            r -> Reply.status(401, Map.of(), "{\"error\": {\"message\": \"Invalid API key\"}}"));
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine = engine(timer, agent(b -> b));
    Task task = engine.submit(prompt("Say something."));
    engine.start();
    Task failed = awaitStatus(timer, task.id(), TaskStatus.FAILED);
    assertThat(failed.error().code()).isEqualTo("MODEL_PROVIDER_REFUSED");
    assertThat(failed.error().message())
        .contains("HTTP 401")
        .contains("Invalid API key")
        .doesNotContain(KEY);
    assertThat(provider.requests()).as("not retried").hasSize(1);
    assertThat(failed.attempt()).isEqualTo(1);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
