package dev.errand.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.errand.InvalidField;
import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.TaskValidationException;
import dev.errand.agent.AgentResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A caller cannot pre-empt a schedule's occurrence with its idempotency key, nor dress a task up as
 * an occurrence with the metadata the engine sets on them.
 */
class ReservedNamesTest {
  private final TaskEngine engine =
      TaskEngine.builder()
          .store(new InMemoryTaskStore())
          .agent("report", ctx -> AgentResult.completed(Map.of()))
          .build();

  @Test
  void theKeyAndMetadataOfScheduleOccurrencesAreRefusedFromCallers() {
    TaskRequest request =
        TaskRequest.builder("report")
            .idempotencyKey(
                "errand-schedule:0190f1a0-0000-7000-8000-000000000000:2026-12-07T14:00Z")
            .metadata(Map.of("schedule_id", "x", "scheduled_for", "y", "team", "finance"))
            .build();
    assertThatThrownBy(() -> engine.submit(request))
        .isInstanceOfSatisfying(
            TaskValidationException.class,
            e ->
                assertThat(e.invalidFields())
                    .extracting(InvalidField::field)
                    .containsExactly(
                        "idempotencyKey", "metadata.schedule_id", "metadata.scheduled_for"));
    assertThat(engine.submit(TaskRequest.builder("report").idempotencyKey("schedule-1").build()))
        .as("other keys are the caller's")
        .isNotNull();
  }
}
