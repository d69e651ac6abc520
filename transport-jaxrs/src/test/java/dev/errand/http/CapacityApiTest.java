package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.TaskEngineBuilder;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A full engine answers 503 INSUFFICIENT_RESOURCES with Retry-After. */
class CapacityApiTest extends ApiTestSupport {
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
