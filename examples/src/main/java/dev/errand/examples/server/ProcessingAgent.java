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
 * processing_agent: applies each extraction rule to each document, one durable step per document.
 * Documents are not fetched (the demo has no network); values derive from their URLs.
 */
final class ProcessingAgent implements Agent {
  private final DemoWork work;

  ProcessingAgent(DemoWork work) {
    this.work = work;
  }

  @Override
  public AgentResult run(AgentContext ctx) throws Exception {
    JsonNode input = ctx.input();
    List<String> rules = ResearchAgent.strings(input.path("extraction_rules"), List.of("summary"));
    List<JsonNode> documents = new ArrayList<>();
    input.path("documents").forEach(documents::add);
    List<Map<String, Object>> extracted = new ArrayList<>();
    List<String> done = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      JsonNode doc = documents.get(i);
      String url = doc.path("url").asText("document-" + i);
      ctx.progress(100 * i / documents.size(), "extracting_document_" + (i + 1), List.copyOf(done));
      extracted.add(ctx.step("extract:" + i, Map.class, () -> extract(url, doc, rules)));
      done.add("extracting_document_" + (i + 1));
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("documents", extracted);
    result.put("output_format", input.path("output_format").asText("structured_json"));
    result.put(
        "processing_details",
        Map.of(
            "documents_processed",
            extracted.size(),
            "rules_applied",
            rules.size() * extracted.size()));
    return AgentResult.completed(
        result,
        "Extracted " + rules.size() + " fields from each of " + extracted.size() + " documents.");
  }

  private Map<String, Object> extract(String url, JsonNode doc, List<String> rules)
      throws InterruptedException {
    work.pause();
    Map<String, Object> fields = new LinkedHashMap<>();
    for (String rule : rules) {
      fields.put(
          rule,
          rule
              + " of "
              + url.substring(url.lastIndexOf('/') + 1)
              + " #"
              + DemoWork.number(url + rule, 1000));
    }
    return Map.of("url", url, "type", doc.path("type").asText("unknown"), "fields", fields);
  }
}
