package dev.errand.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.agent.AgentResult;
import dev.errand.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Task ids from 10,000 submits on one thread: distinct, in time order, and not predictable from the
 * ids before them (issue 14: ids from {@code ThreadLocalRandom} were predicted).
 */
class TaskIdsTest {
  private static final int SUBMITS = 10_000;
  private static final long RAND_B = 0x3FFF_FFFF_FFFF_FFFFL;

  private final MutableClock clock = MutableClock.create();

  /** The ids of 10,000 submits, ten in each millisecond. */
  private List<UUID> submitted() {
    List<UUID> ids = new ArrayList<>();
    try (TaskEngine engine =
        TaskEngine.builder()
            .store(new InMemoryTaskStore())
            .clock(clock)
            .agent("noop", ctx -> AgentResult.completed(null))
            .build()) {
      for (int i = 0; i < SUBMITS; i++) {
        if (i % 10 == 0) {
          clock.advance(Duration.ofMillis(1));
        }
        ids.add(engine.submit(TaskRequest.builder("noop").build()).id());
      }
    }
    return ids;
  }

  @Test
  void tenThousandSubmitsGetDistinctVersion7IdsInTimeOrder() {
    Instant start = clock.instant();
    List<UUID> ids = submitted();
    assertThat(new HashSet<>(ids)).hasSize(SUBMITS);
    for (int i = 0; i < SUBMITS; i++) {
      UUID id = ids.get(i);
      assertThat(id.version()).isEqualTo(7);
      assertThat(id.variant()).isEqualTo(2);
      assertThat(millis(id)).isEqualTo(start.toEpochMilli() + 1 + i / 10);
    }
    List<UUID> byText = ids.stream().sorted(Comparator.comparing(UUID::toString)).toList();
    for (int i = 1; i < SUBMITS; i++) {
      assertThat(millis(byText.get(i))).isGreaterThanOrEqualTo(millis(byText.get(i - 1)));
    }
  }

  private static long millis(UUID id) {
    return id.getMostSignificantBits() >>> 16;
  }

  /**
   * The attack the issue reports: a generator that outputs {@code mix64(seed)} and adds a fixed
   * step to its seed each time ({@code ThreadLocalRandom}, with MurmurHash3's finalizer as mix64)
   * is undone from two ids' rand_b bits (62 of a 64-bit output, so four candidates each), and the
   * third id follows. With 74 bits from a secure source, a guess succeeds with odds of 16 in 2^62.
   */
  @Test
  void noIdIsPredictedFromTheTwoBeforeIt() {
    List<UUID> ids = submitted();
    int predicted = 0;
    for (int i = 2; i < SUBMITS; i++) {
      if (predicts(ids.get(i - 2), ids.get(i - 1), ids.get(i))) {
        predicted++;
      }
    }
    assertThat(predicted)
        .as("of %d ids, those predicted from the two before them", SUBMITS - 2)
        .isZero();
  }

  private static boolean predicts(UUID first, UUID second, UUID third) {
    long actual = third.getLeastSignificantBits() & RAND_B;
    for (long a = 0; a < 4; a++) {
      long seedA = unmix64((first.getLeastSignificantBits() & RAND_B) | (a << 62));
      for (long b = 0; b < 4; b++) {
        long seedB = unmix64((second.getLeastSignificantBits() & RAND_B) | (b << 62));
        if ((mix64(seedB + (seedB - seedA)) & RAND_B) == actual) {
          return true;
        }
      }
    }
    return false;
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  private static long unmix64(long z) {
    z = (z ^ (z >>> 33)) * inverse(0xc4ceb9fe1a85ec53L);
    z = (z ^ (z >>> 33)) * inverse(0xff51afd7ed558ccdL);
    return z ^ (z >>> 33);
  }

  /** The inverse of an odd number modulo 2^64, by Newton's iteration. */
  private static long inverse(long odd) {
    long x = odd;
    for (int i = 0; i < 6; i++) {
      x *= 2 - odd * x;
    }
    return x;
  }
}
