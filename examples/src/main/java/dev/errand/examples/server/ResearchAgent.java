package dev.errand.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.agent.Agent;
import dev.errand.agent.AgentContext;
import dev.errand.agent.AgentResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * research_agent: collects from each source (one durable step each), analyses, and writes an
 * executive summary, as the task API document's example shows.
 */
final class ResearchAgent implements Agent {
  /** What one source gave. */
  record Collected(String source, int documents, int queries, double quality) {}

  private final DemoWork work;

  ResearchAgent(DemoWork work) {
    this.work = work;
  }

  @Override
  public AgentResult run(AgentContext ctx) throws Exception {
    JsonNode input = ctx.input();
    String query = input.path("query").asText("");
    List<String> sources = strings(input.path("sources"), List.of("market_data"));
    List<Collected> collected = new ArrayList<>();
    List<String> done = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      String source = sources.get(i);
      String stage = "collecting_source_" + (i + 1); // source names are the caller's, any length
      ctx.progress(10 + 60 * i / sources.size(), stage, List.copyOf(done));
      collected.add(ctx.step("collect:" + i, Collected.class, () -> collect(query, source)));
      done.add(stage);
    }
    ctx.progress(75, "analyzing", List.copyOf(done));
    int documents = collected.stream().mapToInt(Collected::documents).sum();
    double growth = DemoWork.number(query, 25) / 100.0;
    List<String> findings =
        List.of(
            "Analysed " + documents + " documents from " + sources.size() + " sources",
            "Estimated growth of " + Math.round(growth * 100) + "% for: " + query);
    ctx.preview(Map.of("key_insights", findings));
    work.pause();
    ctx.progress(95, "writing_summary", List.copyOf(done));
    return AgentResult.completed(result(query, findings, collected, growth), summary(documents));
  }

  private Collected collect(String query, String source) throws InterruptedException {
    work.pause();
    String seed = query + "|" + source;
    return new Collected(
        source,
        5 + DemoWork.number(seed, 40),
        1 + DemoWork.number(seed + "q", 9),
        DemoWork.fraction(seed));
  }

  private static Map<String, Object> result(
      String query, List<String> findings, List<Collected> collected, double growth) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(
        "executive_summary",
        Map.of(
            "title",
            "Research: " + query,
            "key_findings",
            findings,
            "recommendations",
            List.of("Review the sources with the lowest quality first")));
    out.put(
        "detailed_analysis",
        Map.of(
            "growth_rate", growth,
            "sources_analyzed", collected.size(),
            "confidence_score",
                collected.stream().mapToDouble(Collected::quality).min().orElse(0)));
    out.put(
        "processing_details",
        Map.of(
            "sources_processed", collected.size(),
            "context_engine_queries", collected.stream().mapToInt(Collected::queries).sum(),
            "confidence_scores",
                collected.stream()
                    .collect(
                        LinkedHashMap::new,
                        (m, c) -> m.put(c.source(), c.quality()),
                        Map::putAll)));
    return out;
  }

  private static String summary(int documents) {
    return "Collected and analysed " + documents + " documents; nothing was left undone.";
  }

  static List<String> strings(JsonNode array, List<String> absent) {
    if (!array.isArray() || array.isEmpty()) {
      return absent;
    }
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
