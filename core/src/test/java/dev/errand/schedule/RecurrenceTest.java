package dev.errand.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fire times across the 2026 daylight saving changes of America/New_York: clocks jump from 02:00 to
 * 03:00 on Sunday 8 March and fall back from 02:00 to 01:00 on Sunday 1 November.
 */
class RecurrenceTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static List<Instant> fires(Recurrence r, Instant from, Instant until) {
    List<Instant> out = new ArrayList<>();
    for (Instant t = r.nextAfter(from); t.isBefore(until); t = r.nextAfter(t)) {
      out.add(t);
    }
    return out;
  }

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }

  @Test
  void theDocumentsWeeklyMondayNineOClockFiresOnEveryMondayAtNineLocalAllYear() {
    Recurrence weekly = Recurrence.weekly(DayOfWeek.MONDAY, LocalTime.of(9, 0), NEW_YORK);
    List<Instant> year = fires(weekly, at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z"));
    assertThat(year).hasSize(52);
    assertThat(year)
        .allSatisfy(
            t -> {
              ZonedDateTime local = t.atZone(NEW_YORK);
              assertThat(local.getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
              assertThat(local.toLocalTime()).isEqualTo(LocalTime.of(9, 0));
            });
    assertThat(year)
        .contains(
            at("2026-03-02T14:00:00Z"), // EST, -05:00
            at("2026-03-09T13:00:00Z"), // EDT, -04:00: 6 days 23 hours later
            at("2026-10-26T13:00:00Z"),
            at("2026-11-02T14:00:00Z")); // EST again: 7 days 1 hour later
    assertThat(year).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void aTimeSkippedBySpringForwardFiresAtTheEndOfTheGap() {
    Recurrence daily = Recurrence.daily(LocalTime.of(2, 30), NEW_YORK);
    assertThat(fires(daily, at("2026-03-07T00:00:00Z"), at("2026-03-10T00:00:00Z")))
        .containsExactly(
            at("2026-03-07T07:30:00Z"), // 02:30 EST
            at("2026-03-08T07:00:00Z"), // 02:30 does not exist: 03:00 EDT, the first valid instant
            at("2026-03-09T06:30:00Z")); // 02:30 EDT
  }

  @Test
  void aTimeRepeatedByFallBackFiresOnceAtItsFirstOccurrence() {
    Recurrence daily = Recurrence.daily(LocalTime.of(1, 30), NEW_YORK);
    assertThat(fires(daily, at("2026-10-31T00:00:00Z"), at("2026-11-03T00:00:00Z")))
        .containsExactly(
            at("2026-10-31T05:30:00Z"), // 01:30 EDT
            at("2026-11-01T05:30:00Z"), // 01:30 EDT, the first of the two; not 06:30Z again
            at("2026-11-02T06:30:00Z")); // 01:30 EST
  }

  @Test
  void cronFiresAtTheSameInstantsAsTheDocumentsForm() {
    Instant from = at("2026-01-01T00:00:00Z");
    Instant until = at("2027-01-01T00:00:00Z");
    assertThat(fires(Recurrence.cron("0 9 * * MON", NEW_YORK), from, until))
        .isEqualTo(
            fires(Recurrence.weekly(DayOfWeek.MONDAY, LocalTime.of(9, 0), NEW_YORK), from, until));
    assertThat(fires(Recurrence.cron("30 2 * * *", NEW_YORK), from, until))
        .isEqualTo(fires(Recurrence.daily(LocalTime.of(2, 30), NEW_YORK), from, until));
    assertThat(fires(Recurrence.cron("30 1 * * *", NEW_YORK), from, until))
        .isEqualTo(fires(Recurrence.daily(LocalTime.of(1, 30), NEW_YORK), from, until));
  }

  @Test
  void aCronWithSecondsFiresOnceForEachLocalTimeAcrossFallBack() {
    Recurrence every20s = Recurrence.cron("*/20 * * * * *", NEW_YORK);
    List<Instant> night = fires(every20s, at("2026-11-01T05:59:00Z"), at("2026-11-01T07:00:41Z"));
    assertThat(night)
        .as("01:59:00 to 01:59:40 EDT, then the repeated hour is passed over, then 02:00 EST")
        .containsExactly(
            at("2026-11-01T05:59:20Z"),
            at("2026-11-01T05:59:40Z"),
            at("2026-11-01T07:00:00Z"),
            at("2026-11-01T07:00:20Z"),
            at("2026-11-01T07:00:40Z"));
    List<Instant> spring = fires(every20s, at("2026-03-08T06:59:30Z"), at("2026-03-08T07:00:30Z"));
    assertThat(spring)
        .as("01:59:40 EST, then 03:00:00 EDT once for the whole skipped hour, then on")
        .containsExactly(
            at("2026-03-08T06:59:40Z"), at("2026-03-08T07:00:00Z"), at("2026-03-08T07:00:20Z"));
  }

  @Test
  void aMonthlyDaySomeMonthsLackIsSkippedInThem() {
    Recurrence monthly = Recurrence.monthly(31, LocalTime.NOON, ZoneId.of("UTC"));
    assertThat(fires(monthly, at("2026-01-01T00:00:00Z"), at("2026-06-01T00:00:00Z")))
        .containsExactly(
            at("2026-01-31T12:00:00Z"), at("2026-03-31T12:00:00Z"), at("2026-05-31T12:00:00Z"));
  }

  @Test
  void badExpressionsAreRefusedSayingWhy() {
    assertThatThrownBy(() -> Recurrence.cron("61 * * * *", NEW_YORK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a valid cron expression");
    assertThatThrownBy(() -> Recurrence.cron("every monday", NEW_YORK))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Recurrence.monthly(32, LocalTime.NOON, NEW_YORK))
        .hasMessage("dayOfMonth must be 1 to 31, was 32");
  }

  @Test
  void cronTimesAreWholeSecondsWhateverTheInstantAskedFrom() {
    Recurrence everySecond = Recurrence.cron("* * * * * *", ZoneId.of("UTC"));
    assertThat(everySecond.nextAfter(at("2026-07-01T00:00:00.500Z")))
        .isEqualTo(at("2026-07-01T00:00:01Z"));
    assertThat(everySecond.nextAfter(at("2026-07-01T00:00:00Z")))
        .isEqualTo(at("2026-07-01T00:00:01Z"));
  }

  @Test
  void nextAfterIsStrictlyLater() {
    Recurrence daily = Recurrence.daily(LocalTime.of(9, 0), NEW_YORK);
    Instant nine = at("2026-06-01T13:00:00Z");
    assertThat(daily.nextAfter(nine.minusNanos(1))).isEqualTo(nine);
    assertThat(daily.nextAfter(nine)).isEqualTo(nine.plus(Duration.ofDays(1)));
  }
}
