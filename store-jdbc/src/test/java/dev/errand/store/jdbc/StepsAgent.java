package dev.errand.store.jdbc;

import dev.errand.agent.Agent;
import dev.errand.agent.AgentContext;
import dev.errand.agent.AgentResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Five durable steps s1..s5. Each step body appends its name to a side file, so a test can count
 * how often each ran across processes. With {@code block_in} set, that step's body blocks for ever
 * on the first run (fence 1), after writing its line (the process is then killed); after s3
 * completes it prints "after-s3".
 */
final class StepsAgent implements Agent {
  static final List<String> STEPS = List.of("s1", "s2", "s3", "s4", "s5");

  @Override
  public AgentResult run(AgentContext ctx) throws Exception {
    Path side = Path.of(ctx.input().get("side_file").asText());
    String blockIn = ctx.input().path("block_in").asText(null);
    for (String step : STEPS) {
      boolean block = step.equals(blockIn) && ctx.fence() == 1; // only the first run blocks
      ctx.step(step, String.class, () -> body(side, step, block));
      if (step.equals("s3")) {
        System.out.println("after-s3");
        System.out.flush();
      }
    }
    return AgentResult.completed(Map.of("steps", STEPS.size()));
  }

  private static String body(Path side, String step, boolean block) throws Exception {
    append(side, step);
    if (block) {
      new CountDownLatch(1).await();
    }
    return step + "-done";
  }

  private static void append(Path side, String line) throws IOException {
    Files.writeString(
        side,
        line + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND,
        StandardOpenOption.SYNC);
  }
}
