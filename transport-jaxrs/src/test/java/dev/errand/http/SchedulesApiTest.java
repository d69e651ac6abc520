package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.TaskEngineBuilder;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Recurring schedules over HTTP: created by POST /api/v1/tasks with input.schedule. */
class SchedulesApiTest extends ApiTestSupport {
  /** The document's notification task, as its example writes it. */
  private static final String NOTIFICATION =
      """
      {"task_type": "notification_agent",
       "input": {"notification_type": "scheduled_report",
                 "schedule": {"frequency": "weekly", "day_of_week": "monday",
                              "time": "09:00:00", "timezone": "America/New_York"},
                 "content": {"data_sources": ["sales_dashboard"], "format": "pdf_report"}}}""";

  @Override
  void configure(TaskEngineBuilder engineBuilder) {
    engineBuilder
        .clock(clock) // the first occurrence is computed from the engine's clock
        .agent("notification_agent", ctx -> dev.errand.agent.AgentResult.completed(null));
  }

  @Test
  void theDocumentsWeeklyReportBecomesASchedule() throws Exception {
    clock.set(Instant.parse("2027-03-10T10:00:00Z")); // a Wednesday, in daylight saving time
    HttpResponse<String> created = send("POST", "api/v1/tasks", "acme", NOTIFICATION);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    JsonNode s = json(created);
    assertThat(s.path("schedule_id").asText()).startsWith("sched_");
    assertThat(s.path("status").asText()).isEqualTo("active");
    assertThat(s.path("next_run_at").asText()).isEqualTo("2027-03-15T13:00:00Z");
    assertThat(s.path("schedule").path("timezone").asText()).isEqualTo("America/New_York");
    String path = "api/v1/schedules/" + s.path("schedule_id").asText();

    assertThat(json(send("GET", path, "acme", null)).path("overlap").asText()).isEqualTo("skip");
    assertThat(json(send("GET", "api/v1/schedules", "acme", null)).path("schedules")).hasSize(1);
    assertThat(send("GET", path, "globex", null).statusCode())
        .as("another organization's")
        .isEqualTo(404);
    assertThat(json(send("GET", "api/v1/schedules", "globex", null)).path("schedules")).isEmpty();
    for (String[] other :
        new String[][] {{"POST", path + "/pause"}, {"POST", path + "/resume"}, {"DELETE", path}}) {
      envelope(send(other[0], other[1], "globex", null), 404, "SCHEDULE_NOT_FOUND");
    }

    assertThat(json(send("POST", path + "/pause", "acme", null)).path("status").asText())
        .isEqualTo("paused");
    assertThat(json(send("POST", path + "/resume", "acme", null)).path("status").asText())
        .isEqualTo("active");
    assertThat(send("DELETE", path, "acme", null).statusCode()).isEqualTo(204);
    JsonNode gone = envelope(send("GET", path, "acme", null), 404, "SCHEDULE_NOT_FOUND");
    assertThat(gone.path("message").asText()).contains(s.path("schedule_id").asText());
    envelope(send("GET", "api/v1/schedules/sched_nope", "acme", null), 404, "SCHEDULE_NOT_FOUND");
  }

  @Test
  void aRetriedSubmitWithTheSameIdempotencyKeyAnswersWithTheSameSchedule() throws Exception {
    String[] ids = new String[2];
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r =
          http.send(
              java.net.http.HttpRequest.newBuilder(server.uri("api/v1/tasks"))
                  .header("Authorization", "Bearer acme:jane")
                  .header("Content-Type", "application/json")
                  .header("Idempotency-Key", "weekly-board-report")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(NOTIFICATION))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      ids[i] = json(r).path("schedule_id").asText();
    }
    assertThat(ids[1]).isEqualTo(ids[0]);
    assertThat(json(send("GET", "api/v1/schedules", "acme", null)).path("schedules")).hasSize(1);
  }

  @Test
  void badSchedulesAreRefusedNamingTheField() throws Exception {
    String[][] cases = {
      {
        "\"frequency\": \"weekly\", \"day_of_week\": \"someday\", \"time\": \"09:00\", \"timezone\": \"UTC\"",
        "input.schedule.day_of_week"
      },
      {
        "\"frequency\": \"daily\", \"time\": \"25:00\", \"timezone\": \"UTC\"",
        "input.schedule.time"
      },
      {
        "\"frequency\": \"daily\", \"time\": \"09:00\", \"timezone\": \"Mars/Olympus\"",
        "input.schedule.timezone"
      },
      {"\"cron\": \"61 * * * *\", \"timezone\": \"UTC\"", "input.schedule.cron"},
      {
        "\"frequency\": \"daily\", \"time\": \"09:00\", \"timezone\": \"UTC\", \"overlap\": \"sometimes\"",
        "input.schedule.overlap"
      },
      {
        "\"frequency\": \"daily\", \"time\": \"09:00\", \"timezone\": \"UTC\", \"catch_up\": 1.5",
        "input.schedule.catch_up"
      }
    };
    for (String[] c : cases) {
      String body =
          "{\"task_type\": \"notification_agent\", \"input\": {\"schedule\": {" + c[0] + "}}}";
      JsonNode error =
          envelope(send("POST", "api/v1/tasks", "acme", body), 400, "TASK_VALIDATION_FAILED");
      assertThat(error.path("details").path("invalid_fields"))
          .extracting(JsonNode::asText)
          .containsExactly(c[1]);
    }
    assertThat(json(send("GET", "api/v1/schedules", "acme", null)).path("schedules")).isEmpty();
  }
}
