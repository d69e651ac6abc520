package dev.errand.examples.server;

import dev.errand.agent.Agent;
import dev.errand.agent.AgentContext;
import dev.errand.agent.AgentResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * agent: the stand-in for the autonomous LLM agent of the agent-task API until one is configured.
 * It splits the prompt into instructions and works through each as one "tool call" (a durable step
 * that counts and names its words), then reports what it did.
 */
final class PromptAgent implements Agent {
  private final DemoWork work;

  PromptAgent(DemoWork work) {
    this.work = work;
  }

  @Override
  public AgentResult run(AgentContext ctx) throws Exception {
    String prompt = ctx.input().path("prompt").asText("");
    List<String> instructions =
        Arrays.stream(prompt.split("(?<=[.!?])\\s+"))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList();
    if (ctx.skillRef() != null) {
      ctx.step("load_skill", String.class, () -> ctx.skillRef());
    }
    List<String> notes = new ArrayList<>();
    for (int i = 0; i < instructions.size(); i++) {
      String instruction = instructions.get(i);
      ctx.progress(100 * i / instructions.size(), "tool_call_" + (i + 1));
      notes.add(ctx.step("tool:" + i, String.class, () -> handle(instruction)));
      ctx.preview(Map.of("latest", notes.get(notes.size() - 1)));
    }
    String text = String.join("\n", notes);
    return AgentResult.completed(
        Map.of("text", text, "tool_calls_made", instructions.size()),
        "Worked through "
            + instructions.size()
            + " instruction(s) with the demo agent; "
            + "no language model is configured, so nothing was written beyond word counts.");
  }

  private String handle(String instruction) throws InterruptedException {
    work.pause();
    String[] words = instruction.split("\\s+");
    return "\"" + instruction + "\": " + words.length + " words";
  }
}
