package dev.errand.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {
  private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void idsAreVersion7AndSortByTime() {
    UUID earlier = TimeOrderedIds.next(T);
    UUID later = TimeOrderedIds.next(T.plusMillis(1));
    assertThat(earlier.version()).isEqualTo(7);
    assertThat(earlier.variant()).isEqualTo(2);
    assertThat(earlier.getMostSignificantBits() >>> 16).isEqualTo(T.toEpochMilli());
    assertThat(later.toString()).isGreaterThan(earlier.toString());
  }

  @Test
  void theRandomBitsAreTheSourcesAndTheDefaultSourceIsSecure() {
    assertThat(TimeOrderedIds.DEFAULT.source()).isInstanceOf(SecureRandom.class);
    ByteBuffer drawn = ByteBuffer.allocate(16);
    new Random(42).nextBytes(drawn.array());
    UUID expected =
        new UUID(
            (T.toEpochMilli() << 16) | 0x7000L | (drawn.getLong() & 0x0FFFL),
            (drawn.getLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L);
    UUID id = new TimeOrderedIds(new Random(42)).at(T);
    assertThat(id).isEqualTo(expected);
  }

  /** Each of the 74 random bits (12 of rand_a, 62 of rand_b) is set in 45 to 55% of ids. */
  @Test
  void everyRandomBitIsSetInAboutHalfOfTenThousandIds() {
    int ids = 10_000;
    int[] set = new int[74];
    for (int n = 0; n < ids; n++) {
      UUID id = TimeOrderedIds.next(T);
      for (int bit = 0; bit < 12; bit++) {
        set[bit] += (int) (id.getMostSignificantBits() >>> bit) & 1;
      }
      for (int bit = 0; bit < 62; bit++) {
        set[12 + bit] += (int) (id.getLeastSignificantBits() >>> bit) & 1;
      }
    }
    for (int bit = 0; bit < set.length; bit++) {
      assertThat(set[bit]).as("ids with random bit %d set", bit).isBetween(4_500, 5_500);
    }
  }
}
