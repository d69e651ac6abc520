package dev.errand;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy.Builder policy =
      RetryPolicy.builder().initialDelay(Duration.ofSeconds(1)).maxDelay(Duration.ofSeconds(30));

  @Test
  void withoutJitterDelaysDoubleUpToTheCap() {
    RetryPolicy p = policy.jitter(RetryPolicy.Jitter.NONE).build();
    assertThat(p.delayAfter(1, () -> 0.5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.delayAfter(2, () -> 0.5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.delayAfter(5, () -> 0.5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(p.delayAfter(6, () -> 0.5)).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.delayAfter(60, () -> 0.5)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void fullJitterDrawsBetweenZeroAndTheCappedDelay() {
    RetryPolicy p = policy.build();
    assertThat(p.jitter()).isEqualTo(RetryPolicy.Jitter.FULL);
    assertThat(p.delayAfter(3, () -> 0.0)).isEqualTo(Duration.ZERO);
    assertThat(p.delayAfter(3, () -> 0.5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.delayAfter(3, () -> 0.999)).isEqualTo(Duration.ofMillis(3996));
    assertThat(p.delayAfter(10, () -> 0.999)).isEqualTo(Duration.ofMillis(29970));
  }
}
