package dev.errand.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.time.zone.ZoneOffsetTransition;
import java.util.Objects;

/**
 * When a schedule fires: a sequence of local date-times (daily, weekly or monthly at a time, or a
 * cron expression) in a time zone. Daylight saving time is handled explicitly:
 *
 * <ul>
 *   <li>a local time that does not exist on a day (skipped by a spring-forward change) fires at the
 *       first valid instant after it, the end of the gap (02:30 on a day that jumps from 02:00 to
 *       03:00 fires at 03:00);
 *   <li>a local time that occurs twice (repeated by a fall-back change) fires once, at its first
 *       occurrence;
 *   <li>several local times that fall on one instant fire once.
 * </ul>
 *
 * Immutable and thread-safe.
 */
public final class Recurrence {
  /** The longest a search for the next instant steps through local times, for a repeated hour. */
  private static final int MAX_STEPS = 100_000;

  private final LocalSequence sequence;
  private final ZoneId zone;
  private final String description;

  private Recurrence(LocalSequence sequence, ZoneId zone, String description) {
    this.sequence = sequence;
    this.zone = Objects.requireNonNull(zone, "zone");
    this.description = description;
  }

  /** Every day at {@code time} in {@code zone}. */
  public static Recurrence daily(LocalTime time, ZoneId zone) {
    Objects.requireNonNull(time, "time");
    return new Recurrence(
        after -> {
          LocalDateTime today = after.toLocalDate().atTime(time);
          return today.isAfter(after) ? today : today.plusDays(1);
        },
        zone,
        "daily at " + time + " " + zone);
  }

  /** Every week on {@code day} at {@code time} in {@code zone}. */
  public static Recurrence weekly(DayOfWeek day, LocalTime time, ZoneId zone) {
    Objects.requireNonNull(day, "day");
    Objects.requireNonNull(time, "time");
    return new Recurrence(
        after -> {
          LocalDateTime candidate =
              after.toLocalDate().with(TemporalAdjusters.nextOrSame(day)).atTime(time);
          return candidate.isAfter(after) ? candidate : candidate.plusWeeks(1);
        },
        zone,
        "weekly on " + day + " at " + time + " " + zone);
  }

  /**
   * Every month on day {@code dayOfMonth} at {@code time} in {@code zone}; months without that day
   * (day 31 in April, say) are skipped.
   *
   * @throws IllegalArgumentException if the day is not 1 to 31
   */
  public static Recurrence monthly(int dayOfMonth, LocalTime time, ZoneId zone) {
    if (dayOfMonth < 1 || dayOfMonth > 31) {
      throw new IllegalArgumentException("dayOfMonth must be 1 to 31, was " + dayOfMonth);
    }
    Objects.requireNonNull(time, "time");
    return new Recurrence(
        after -> {
          for (int m = 0; ; m++) {
            var month = after.toLocalDate().withDayOfMonth(1).plusMonths(m);
            if (month.lengthOfMonth() >= dayOfMonth) {
              LocalDateTime candidate = month.withDayOfMonth(dayOfMonth).atTime(time);
              if (candidate.isAfter(after)) {
                return candidate;
              }
            }
          }
        },
        zone,
        "monthly on day " + dayOfMonth + " at " + time + " " + zone);
  }

  /**
   * The times of a cron expression in {@code zone}: five fields (minute hour day-of-month month
   * day-of-week, as in Unix cron) or six with seconds first (as in Spring).
   *
   * @throws IllegalArgumentException if the expression is not valid, saying why
   */
  public static Recurrence cron(String expression, ZoneId zone) {
    Objects.requireNonNull(expression, "expression");
    String trimmed = expression.strip();
    CronType type = trimmed.split("\\s+").length == 6 ? CronType.SPRING : CronType.UNIX;
    ExecutionTime times;
    try {
      times =
          ExecutionTime.forCron(
              new CronParser(CronDefinitionBuilder.instanceDefinitionFor(type)).parse(trimmed));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "not a valid cron expression (5 fields, or 6 with seconds first): " + e.getMessage(), e);
    }
    return new Recurrence(
        after ->
            times
                // local times, no zone rules; cron works in whole seconds
                .nextExecution(after.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC))
                .map(t -> t.toLocalDateTime().truncatedTo(ChronoUnit.SECONDS))
                .orElseThrow(() -> new IllegalStateException("the cron expression never fires")),
        zone,
        "cron '" + trimmed + "' " + zone);
  }

  /** The time zone the local times are in. */
  public ZoneId zone() {
    return zone;
  }

  /** The first instant the schedule fires at strictly after {@code after}. */
  public Instant nextAfter(Instant after) {
    LocalDateTime local = LocalDateTime.ofInstant(after, zone);
    for (int step = 0; step < MAX_STEPS; step++) {
      local = sequence.nextAfter(local);
      Instant at = instantOf(local);
      if (at.isAfter(after)) {
        return at;
      }
    }
    throw new IllegalStateException("no instant after " + after + " found for " + description);
  }

  /** The instant of a local time: the end of a gap it falls in, the first of two it may mean. */
  private Instant instantOf(LocalDateTime local) {
    ZoneOffsetTransition transition = zone.getRules().getTransition(local);
    if (transition != null && transition.isGap()) {
      return transition.getInstant();
    }
    return ZonedDateTime.ofLocal(local, zone, null).toInstant(); // earlier offset of an overlap
  }

  @Override
  public String toString() {
    return description;
  }
}
