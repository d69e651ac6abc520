package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.TaskEngineBuilder;
import dev.errand.agent.Agent;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A run past its timeout shows as failed with error code TASK_TIMEOUT in the results. */
class TaskTimeoutApiTest extends ApiTestSupport {
  private final CountDownLatch never = new CountDownLatch(1);

  @Override
  Agent agent() {
    return ctx -> {
      never.await();
      return null;
    };
  }

  @Override
  boolean startEngine() {
    return true;
  }

  @Override
  void configure(TaskEngineBuilder engineBuilder) {
    engineBuilder.defaultTimeout(Duration.ofMillis(300));
  }

  @AfterEach
  void releaseAgent() {
    never.countDown();
  }

  @Test
  void aRunPastItsTimeoutFailsWithTaskTimeout() throws Exception {
    String id = submit("acme");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> json(send("GET", "api/v1/tasks/" + id, "acme", null)).path("status").asText(),
            "failed"::equals);
    JsonNode results = json(send("GET", "api/v1/tasks/" + id + "/results", "acme", null));
    assertThat(results.path("error").path("code").asText()).isEqualTo("TASK_TIMEOUT");
    assertThat(results.path("error").path("message").asText()).contains("timeout");
  }
}
