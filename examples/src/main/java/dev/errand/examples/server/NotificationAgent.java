package dev.errand.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.agent.Agent;
import dev.errand.agent.AgentContext;
import dev.errand.agent.AgentResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * notification_agent: gathers each data source (a durable step each), renders the report and
 * records its delivery to the recipients. A schedule in the input is not yet acted on: the task
 * runs once, and its report says so.
 */
final class NotificationAgent implements Agent {
  private final DemoWork work;

  NotificationAgent(DemoWork work) {
    this.work = work;
  }

  @Override
  public AgentResult run(AgentContext ctx) throws Exception {
    JsonNode content = ctx.input().path("content");
    List<String> sources = ResearchAgent.strings(content.path("data_sources"), List.of("summary"));
    List<String> recipients = ResearchAgent.strings(content.path("recipients"), List.of());
    int rows = 0;
    List<String> done = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      String source = sources.get(i);
      String stage = "gathering_source_" + (i + 1);
      ctx.progress(80 * i / sources.size(), stage, List.copyOf(done));
      rows += ctx.step("gather:" + i, Integer.class, () -> gather(source));
      done.add(stage);
    }
    ctx.progress(90, "rendering_report", List.copyOf(done));
    String format = content.path("format").asText("pdf_report");
    Map<String, Object> result =
        Map.of(
            "delivered_to",
            recipients,
            "format",
            format,
            "rows",
            rows,
            "charts_included",
            content.path("include_charts").asBoolean(false));
    String report =
        "Rendered a "
            + format
            + " of "
            + rows
            + " rows for "
            + recipients.size()
            + " recipients."
            + (ctx.input().has("schedule")
                ? " The schedule was not applied: this run is a one-off."
                : "");
    return AgentResult.completed(result, report);
  }

  private int gather(String source) throws InterruptedException {
    work.pause();
    return 10 + DemoWork.number(source, 90);
  }
}
