package dev.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import dev.errand.agent.AgentResult;
import dev.errand.spi.TaskStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TaskEngineBuilderTest {
  private final TaskEngineBuilder builder = TaskEngine.builder();

  @Test
  void settersRefuseBadValuesNamingTheSettingAndTheValue() {
    assertBad(() -> builder.workers(0), "workers must be between 1 and 10000, was 0");
    assertBad(() -> builder.workers(10_001), "workers must be between 1 and 10000, was 10001");
    assertBad(
        () -> builder.leaseDuration(Duration.ofSeconds(-1)),
        "leaseDuration must be positive, was PT-1S");
    assertBad(
        () -> builder.leaseDuration(Duration.ZERO), "leaseDuration must be positive, was PT0S");
    assertBad(
        () -> builder.heartbeatInterval(Duration.ofMillis(-5)),
        "heartbeatInterval must be positive");
    assertBad(() -> builder.pollInterval(Duration.ZERO), "pollInterval must be positive");
    assertBad(
        () -> builder.defaultTimeout(Duration.ofHours(-1)),
        "defaultTimeout must be positive, was PT-1H");
    assertBad(
        () -> builder.shutdownGracePeriod(Duration.ofSeconds(-1)),
        "shutdownGracePeriod must not be negative");
    assertBad(() -> builder.maxInputBytes(0), "maxInputBytes must be at least 1, was 0");
    assertBad(() -> builder.maxLeaseLosses(0), "maxLeaseLosses must be between 1 and 1000, was 0");
    assertBad(
        () -> builder.maxLeaseLosses(1001), "maxLeaseLosses must be between 1 and 1000, was 1001");
    assertBad(() -> builder.agent("has space", ctx -> null), "taskType must match");
    assertBad(() -> builder.workerId(" "), "workerId must be 1 to 200 characters");
    assertThatThrownBy(() -> builder.store(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("store");
  }

  @Test
  void aTaskTypeTakesOneAgent() {
    builder.agent("research", ctx -> AgentResult.completed(null));
    assertBad(
        () -> builder.agent("research", ctx -> null), "taskType 'research' already has an agent");
  }

  @Test
  void buildChecksRequiredAndCrossFieldRules() {
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("store is required");
    builder.store(mock(TaskStore.class));
    assertThatThrownBy(builder::build).hasMessage("at least one agent is required");
    builder.agent("research", ctx -> AgentResult.completed(null));
    builder.leaseDuration(Duration.ofSeconds(10)).heartbeatInterval(Duration.ofSeconds(10));
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("heartbeatInterval (PT10S) must be shorter than leaseDuration (PT10S)");
    builder.heartbeatInterval(Duration.ofSeconds(3));
    try (TaskEngine engine = builder.build()) {
      assertThat(engine.objectMapper()).isNotNull();
    }
  }

  @Test
  void retryPolicyRefusesBadValues() {
    assertBad(
        () -> RetryPolicy.builder().maxAttempts(0), "maxAttempts must be between 1 and 100, was 0");
    assertBad(
        () -> RetryPolicy.builder().maxAttempts(101),
        "maxAttempts must be between 1 and 100, was 101");
    assertBad(
        () -> RetryPolicy.builder().multiplier(0.5),
        "multiplier must be a finite number of at least 1.0, was 0.5");
    assertBad(
        () -> RetryPolicy.builder().initialDelay(Duration.ofSeconds(-1)),
        "initialDelay must not be negative");
    assertBad(
        () ->
            RetryPolicy.builder()
                .initialDelay(Duration.ofMinutes(10))
                .maxDelay(Duration.ofMinutes(1))
                .build(),
        "initialDelay (PT10M) must not be longer than maxDelay (PT1M)");
  }

  private static void assertBad(Runnable call, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
