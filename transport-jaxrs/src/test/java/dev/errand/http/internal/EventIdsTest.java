package dev.errand.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventIdsTest {
  private static final byte[] KEY = new byte[32];

  static {
    new SecureRandom().nextBytes(KEY);
  }

  private final EventIds ids = new EventIds(KEY);

  @Test
  void anIdReadsBackAsItsEventNumberForItsOrganizationOnly() {
    for (long seq : new long[] {0, 1, 2, 41, 1L << 40, Long.MAX_VALUE}) {
      String id = ids.format("org_a", seq);
      assertThat(id).matches("[A-Za-z0-9_-]{22}");
      assertThat(ids.parse("org_a", id)).hasValue(seq);
      assertThat(ids.parse("org_b", id)).as("another organization's id").isEmpty();
      assertThat(new EventIds(new byte[32]).parse("org_a", id)).as("another key").isEmpty();
    }
  }

  @Test
  void zeroResumesFromTheStartAndAnythingElseIsRefused() {
    assertThat(ids.parse("org_a", "0")).hasValue(0);
    assertThat(ids.parse("org_a", " 0 ")).hasValue(0);
    String id = ids.format("org_a", 7);
    String tampered = (id.charAt(0) == 'A' ? "B" : "A") + id.substring(1);
    for (String bad : new String[] {"7", "-1", "", "not an id", tampered, id + "AA", "%%%%"}) {
      assertThat(ids.parse("org_a", bad)).as(bad).isEqualTo(OptionalLong.empty());
    }
  }

  @Test
  void idsOfConsecutiveEventsShareNothingThatCountsTheEventsBetween() {
    // the old ids were the numbers themselves: two ids told how many events came between them
    Set<String> seen = new HashSet<>();
    String previous = ids.format("org_a", 1000);
    int samePrefix = 0;
    for (long seq = 1001; seq < 2001; seq++) {
      String id = ids.format("org_a", seq);
      assertThat(seen.add(id)).isTrue();
      assertThat(id).doesNotContain(Long.toString(seq));
      if (id.regionMatches(0, previous, 0, 2)) {
        samePrefix++;
      }
      previous = id;
    }
    // a counter would share its leading characters from one id to the next; a cipher, by chance
    // about once in 4096 (two base64 characters)
    assertThat(samePrefix).as("consecutive ids with the same first two characters").isLessThan(5);
  }
}
