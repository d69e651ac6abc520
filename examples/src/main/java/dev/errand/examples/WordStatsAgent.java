package dev.errand.examples;

import dev.errand.agent.Agent;
import dev.errand.agent.AgentContext;
import dev.errand.agent.AgentResult;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A three-step agent that analyses a text: split it into sentences, count its words, then write a
 * summary. Each step is durable: if the process dies after step two, a resumed run starts at step
 * three with the stored counts.
 */
public final class WordStatsAgent implements Agent {
  /** The agent's input. */
  public record Input(String text, int top) {}

  @Override
  public AgentResult run(AgentContext ctx) throws Exception {
    Input input = ctx.input(Input.class);
    ctx.progress(10, "splitting_sentences");
    String[] sentences =
        ctx.step("split", String[].class, () -> input.text().split("(?<=[.!?])\\s+"));

    ctx.progress(40, "counting_words");
    WordCounts counts = ctx.step("count", WordCounts.class, () -> count(sentences));
    ctx.preview(Map.of("distinct_words", counts.counts().size()));

    ctx.progress(80, "summarising");
    String[] top = ctx.step("summarise", String[].class, () -> top(counts, input.top()));
    ctx.progress(100, "done");
    String report =
        "Read "
            + sentences.length
            + " sentences and "
            + counts.total()
            + " words; listed the top "
            + top.length
            + ".";
    return AgentResult.completed(
        Map.of("sentences", sentences.length, "words", counts.total(), "top_words", top), report);
  }

  /** Word counts of a text. */
  public record WordCounts(Map<String, Long> counts, long total) {}

  private static WordCounts count(String[] sentences) {
    Map<String, Long> counts =
        Arrays.stream(sentences)
            .flatMap(s -> Arrays.stream(s.toLowerCase(Locale.ROOT).split("[^\\p{L}']+")))
            .filter(w -> w.length() > 3)
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    return new WordCounts(counts, counts.values().stream().mapToLong(Long::longValue).sum());
  }

  private static String[] top(WordCounts counts, int n) {
    return counts.counts().entrySet().stream()
        .sorted(
            Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(n)
        .map(e -> e.getKey() + " (" + e.getValue() + ")")
        .toArray(String[]::new);
  }
}
