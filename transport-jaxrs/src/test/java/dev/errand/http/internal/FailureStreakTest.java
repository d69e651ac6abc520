package dev.errand.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.errand.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The backoff of a failing loop: doubled per failure, capped, reset by a success. */
class FailureStreakTest {
  private final FailureStreak streak =
      new FailureStreak(
          LoggerFactory.getLogger(FailureStreakTest.class),
          "polling",
          Duration.ofMillis(250),
          Duration.ofSeconds(30));
  private final RuntimeException down = new StoreException("the store is down", null);

  @Test
  void theWaitDoublesPerFailureUpToTheCapAndStartsOverAfterASuccess() {
    List<Long> waits = Stream.generate(() -> streak.failed(down).toMillis()).limit(9).toList();
    assertThat(waits)
        .containsExactly(250L, 500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L);
    for (int i = 0; i < 100; i++) {
      streak.failed(down);
    }
    assertThat(streak.failed(down))
        .as("long streaks stay capped")
        .isEqualTo(Duration.ofSeconds(30));

    streak.succeeded();
    assertThat(streak.failing()).isFalse();
    assertThat(streak.failed(down)).isEqualTo(Duration.ofMillis(250));
  }
}
