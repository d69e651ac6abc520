package dev.errand.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.errand.ErrandException;
import dev.errand.agent.Agent;
import dev.errand.agent.AgentContext;
import dev.errand.agent.AgentFailure;
import dev.errand.agent.AgentResult;
import dev.errand.agent.Skill;
import dev.errand.agent.SkillRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An autonomous agent for the agent-task API: it runs the task's prompt ({@code input.prompt}) with
 * a chat model and the tools it is given, on behalf of {@code input.user_email}, until the model
 * answers without calling a tool, and ends with the model's report of what it did and did not do.
 * With a skill ({@code skill_ref}), the skill is loaded before anything else.
 *
 * <p>Every model call and every tool call is a durable step, and so is each decision whether a
 * budget has run out: a run resumed after a crash or a lost lease rebuilds the conversation from
 * the stored steps, decides as before, and repeats no call that completed. When a {@link Budgets
 * budget} runs out, the model is asked for its report (tools offered, with tool_choice none) and
 * the task ends INCOMPLETE. The result is {@code {text, tool_calls_made, model_calls,
 * total_tokens}}.
 */
public final class LlmAgent implements Agent {
  static final String SYSTEM =
      "You are an autonomous agent running a background task. No one is available to answer"
          + " questions: decide for yourself, and use the tools you have when they help. Work"
          + " until the task is done or cannot be done. Finish with a report that says what you"
          + " completed and what you could not complete, and why.";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChatClient client;
  private final String defaultModel;
  private final List<Tool> tools;
  private final Map<String, Tool> toolsByName;
  private final SkillRegistry skills;
  private final ToolCredentials credentials;
  private final Budgets budgets;
  private final Clock clock;

  private LlmAgent(Builder b) {
    this.client = b.client;
    this.defaultModel = b.defaultModel;
    this.tools = List.copyOf(b.tools);
    this.toolsByName =
        tools.stream().collect(Collectors.toMap(Tool::name, Function.identity(), (a, c) -> a));
    this.skills = b.skills;
    this.credentials = b.credentials;
    this.budgets = b.budgets;
    this.clock = b.clock;
  }

  /** An agent calling {@code defaultModel} when the task names none. */
  public static Builder builder(ChatClient client, String defaultModel) {
    return new Builder(client, defaultModel);
  }

  @Override
  public AgentResult run(AgentContext ctx) throws Exception {
    Run run = new Run(ctx);
    return run.go();
  }

  /** One run of one task: the conversation and the counts, rebuilt from the steps on a resume. */
  private final class Run {
    private final AgentContext ctx;
    private final String model;
    private final String userEmail;
    private final List<Tool> offered;
    private final List<JsonNode> messages = new ArrayList<>();
    private int modelCalls;
    private int toolCalls;
    private long tokens;
    private String latestText = "";

    Run(AgentContext ctx) {
      this.ctx = ctx;
      this.model = ctx.model() != null ? ctx.model() : defaultModel;
      this.userEmail = ctx.input().path("user_email").textValue();
      this.offered = budgets.maxToolCalls() == 0 ? List.of() : tools;
    }

    AgentResult go() throws Exception {
      String prompt = ctx.input().path("prompt").textValue();
      if (prompt == null || prompt.isBlank()) {
        throw AgentFailure.nonRetryable("INVALID_INPUT", "input.prompt must be a non-blank string");
      }
      long started = ctx.step("started", Long.class, clock::millis);
      messages.add(message("system", SYSTEM));
      if (ctx.skillRef() != null) {
        messages.add(message("system", loadSkill(ctx.skillRef())));
      }
      messages.add(message("user", prompt));
      while (true) {
        String spent = budgetSpent(started); // decided once, durably: a resume decides the same
        if (spent != null) {
          return report(spent);
        }
        ChatTurn turn = modelCall("model", "auto");
        List<ChatTurn.ToolRequest> requests = turn.toolCalls();
        if (requests.isEmpty()) {
          return AgentResult.completed(result(), reportText(turn));
        }
        for (int i = 0; i < requests.size(); i++) {
          Optional<String> noMoreTools = budgets.beforeToolCall(toolCalls);
          if (noMoreTools.isPresent()) {
            String why = "not run: " + noMoreTools.get() + " is used up";
            requests.subList(i, requests.size()).forEach(r -> answer(r, why));
            return report(noMoreTools.get());
          }
          ChatTurn.ToolRequest r = requests.get(i);
          String stage = toolsByName.containsKey(r.name()) ? "tool:" + r.name() : "tool:unknown";
          ctx.progress(percentage(), stage);
          int number = toolCalls + 1;
          answer(r, ctx.step("tool", String.class, () -> callTool(r, number)));
          toolCalls++;
        }
      }
    }

    /** Which budget stops the next model call, decided in a step of its own; or null. */
    private String budgetSpent(long started) throws Exception {
      return ctx.step(
          "budget",
          String.class,
          () -> {
            Duration elapsed = Duration.ofMillis(clock.millis() - started);
            return budgets.beforeModelCall(modelCalls, tokens, elapsed).orElse(null);
          });
    }

    /** The skill's instructions, read once in a step before anything else. */
    private String loadSkill(String ref) throws Exception {
      Skill skill =
          ctx.step(
              "load_skill",
              Skill.class,
              () ->
                  skills
                      .find(ref)
                      .orElseThrow(
                          () ->
                              AgentFailure.nonRetryable(
                                  "SKILL_NOT_FOUND", "no skill " + ref + " is registered")));
      return "Skill \""
          + skill.name()
          + "\" is loaded. Follow its instructions:\n"
          + skill.instructions();
    }

    private ChatTurn modelCall(String step, String toolChoice) throws Exception {
      ctx.progress(percentage(), "model_call_" + (modelCalls + 1));
      List<JsonNode> conversation = List.copyOf(messages);
      ChatTurn turn;
      try {
        turn =
            ctx.step(
                step,
                ChatTurn.class,
                () ->
                    client.complete(
                        model, conversation, offered, toolChoice, ctx::isCancelRequested));
      } catch (ChatProviderException e) {
        throw e.isRetryable()
            ? AgentFailure.retryable("MODEL_PROVIDER_FAILING", e.getMessage(), e)
            : AgentFailure.nonRetryable("MODEL_PROVIDER_REFUSED", e.getMessage(), e);
      }
      modelCalls++;
      tokens += turn.totalTokens();
      messages.add(turn.message());
      if (!turn.text().isBlank()) {
        latestText = turn.text();
        ctx.preview(Map.of("latest_text", latestText));
      }
      return turn;
    }

    /** Asks for the report with tools offered but not to be called; ends INCOMPLETE with it. */
    private AgentResult report(String spent) throws Exception {
      messages.add(
          message(
              "user",
              "Stop here: "
                  + spent
                  + " is used up. Do not call tools. Report what you completed and what"
                  + " remains to be done."));
      ChatTurn turn = modelCall("report", "none");
      return AgentResult.incomplete(result(), reportText(turn));
    }

    /** The last answer's text; if it has none, a report that says so. */
    private String reportText(ChatTurn last) {
      return last.text().isBlank()
          ? "The model ended without a report after "
              + modelCalls
              + " model call(s) and "
              + toolCalls
              + " tool call(s)."
          : last.text();
    }

    private String callTool(ChatTurn.ToolRequest r, int number) throws Exception {
      Tool tool = toolsByName.get(r.name());
      if (tool == null) {
        return "error: there is no tool named " + r.name();
      }
      JsonNode arguments;
      try {
        arguments = JSON.readTree(r.arguments());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        return "error: the arguments are not JSON";
      }
      ToolCall call =
          new ToolCall(
              ctx.taskId(), ctx.organizationId(), userEmail, r.name(), number, credentials);
      String out;
      try {
        out = tool.call(arguments, call);
      } catch (InterruptedException | ErrandException e) {
        throw e; // a cancel, a lost lease, or an AgentFailure the tool means
      } catch (Exception e) {
        out = "error: " + e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      return call.redact(out == null ? "" : out).replace('\0', '\ufffd');
    }

    private void answer(ChatTurn.ToolRequest r, String content) {
      messages.add(message("tool", content).put("tool_call_id", r.id()));
    }

    private int percentage() {
      return Math.min(99, 100 * modelCalls / (budgets.maxModelCalls() + 1));
    }

    private Map<String, Object> result() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("text", latestText);
      out.put("tool_calls_made", toolCalls);
      out.put("model_calls", modelCalls);
      out.put("total_tokens", tokens);
      return out;
    }
  }

  private static ObjectNode message(String role, String content) {
    return NODES.objectNode().put("role", role).put("content", content);
  }

  /** Settings of an {@link LlmAgent}. */
  public static final class Builder {
    private final ChatClient client;
    private final String defaultModel;
    private List<Tool> tools = List.of();
    private SkillRegistry skills = SkillRegistry.of(List.of());
    private ToolCredentials credentials = ToolCredentials.NONE;
    private Budgets budgets = Budgets.defaults();
    private Clock clock = Clock.systemUTC();

    private Builder(ChatClient client, String defaultModel) {
      this.client = Objects.requireNonNull(client, "client");
      this.defaultModel = Objects.requireNonNull(defaultModel, "defaultModel");
    }

    /**
     * The tools the model may call; none by default.
     *
     * @throws IllegalArgumentException if a name is not 1 to 64 letters, digits, _ or -, or is
     *     given twice
     */
    public Builder tools(List<Tool> tools) {
      java.util.Set<String> names = new java.util.HashSet<>();
      for (Tool t : tools) {
        if (!names.add(t.name())) {
          throw new IllegalArgumentException("two tools are named '" + t.name() + "'");
        }
        if (!t.name().matches("[A-Za-z0-9_-]{1,64}")) {
          throw new IllegalArgumentException(
              "a tool name must be 1 to 64 letters, digits, _ or -, was '" + t.name() + "'");
        }
      }
      this.tools = List.copyOf(tools);
      return this;
    }

    /** Where skill_ref is looked up; empty by default. */
    public Builder skills(SkillRegistry skills) {
      this.skills = Objects.requireNonNull(skills, "skills");
      return this;
    }

    /** Where tools find their users' credentials; none by default. */
    public Builder credentials(ToolCredentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /** What a run may use; {@link Budgets#defaults()} by default. */
    public Builder budgets(Budgets budgets) {
      this.budgets = Objects.requireNonNull(budgets, "budgets");
      return this;
    }

    /** The clock of the time budget; the system's by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public LlmAgent build() {
      return new LlmAgent(this);
    }
  }
}
