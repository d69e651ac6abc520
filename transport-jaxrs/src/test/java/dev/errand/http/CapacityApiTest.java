package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.TaskEngineBuilder;
import dev.errand.agent.Agent;
import dev.errand.agent.AgentResult;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A full engine answers 503 INSUFFICIENT_RESOURCES with Retry-After. */
class CapacityApiTest extends ApiTestSupport {
  @Override
  Agent agent() {
    return ctx -> AgentResult.completed(null);
  }

  @Override
  boolean startEngine() {
    return false;
  }

  @Override
  void configure(TaskEngineBuilder engineBuilder) {
    engineBuilder.maxPendingTasks(1);
  }

  @Test
  void aSubmitBeyondTheEnginesCapacityIsRefusedWithRetryAfter() throws Exception {
    submit("acme");
    HttpResponse<String> refused = send("POST", "api/v1/tasks", "acme", SUBMIT);
    JsonNode error = envelope(refused, 503, "INSUFFICIENT_RESOURCES");
    assertThat(refused.headers().firstValue("Retry-After")).contains("5");
    assertThat(error.path("details").path("max_pending_tasks").asInt()).isEqualTo(1);
  }
}
