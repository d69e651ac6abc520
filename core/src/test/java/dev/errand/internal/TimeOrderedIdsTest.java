package dev.errand.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {
  @Test
  void idsAreVersion7AndSortByTime() {
    Instant t = Instant.parse("2026-03-01T10:00:00Z");
    UUID earlier = TimeOrderedIds.next(t);
    UUID later = TimeOrderedIds.next(t.plusMillis(1));
    assertThat(earlier.version()).isEqualTo(7);
    assertThat(earlier.variant()).isEqualTo(2);
    assertThat(earlier.getMostSignificantBits() >>> 16).isEqualTo(t.toEpochMilli());
    assertThat(later.toString()).isGreaterThan(earlier.toString());
  }
}
