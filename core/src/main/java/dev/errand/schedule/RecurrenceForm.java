package dev.errand.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.InvalidField;
import dev.errand.TaskValidationException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a schedule in the task API document's form: {@code {"frequency": "daily" | "weekly" |
 * "monthly", "day_of_week": "monday", "day_of_month": 1, "time": "09:00:00", "timezone":
 * "America/New_York"}}, or {@code {"cron": "0 9 * * MON", "timezone": ...}}. The time zone is
 * required; every problem is reported at once, naming the field under {@code prefix}.
 */
public final class RecurrenceForm {
  /** Fields of the form that are options of the schedule rather than of when it fires. */
  public static final Set<String> OPTIONS = Set.of("overlap", "catch_up");

  private static final Pattern TIME = Pattern.compile("\\d{2}:\\d{2}(:\\d{2})?");

  private RecurrenceForm() {}

  /**
   * The recurrence the form describes.
   *
   * @param prefix the form's own field name in errors, such as {@code input.schedule}
   * @throws TaskValidationException naming each bad field and the rule it breaks
   */
  public static Recurrence parse(JsonNode form, String prefix) {
    List<InvalidField> bad = new ArrayList<>();
    if (form == null || !form.isObject()) {
      throw new TaskValidationException(List.of(new InvalidField(prefix, "must be an object")));
    }
    fields(form, prefix, bad);
    ZoneId zone = zone(form, prefix + ".timezone", bad);
    Recurrence recurrence;
    if (form.has("cron")) {
      recurrence = cron(form, prefix, zone, bad);
    } else {
      recurrence = calendar(form, prefix, zone, bad);
    }
    if (recurrence != null && bad.isEmpty()) {
      try {
        recurrence.nextAfter(Instant.parse("2000-01-01T00:00:00Z"));
      } catch (IllegalStateException e) {
        bad.add(new InvalidField(prefix + (form.has("cron") ? ".cron" : ""), "never fires"));
      }
    }
    if (!bad.isEmpty()) {
      throw new TaskValidationException(bad);
    }
    return recurrence;
  }

  /** Which fields each form takes; {@code overlap} and {@code catch_up} are the schedule's own. */
  private static void fields(JsonNode form, String prefix, List<InvalidField> bad) {
    String frequency = form.path("frequency").asText("").toLowerCase(Locale.ROOT);
    Set<String> allowed =
        form.has("cron")
            ? Set.of("cron", "timezone")
            : switch (frequency) {
              case "weekly" -> Set.of("frequency", "day_of_week", "time", "timezone");
              case "monthly" -> Set.of("frequency", "day_of_month", "time", "timezone");
              default -> Set.of("frequency", "time", "timezone");
            };
    form.fieldNames()
        .forEachRemaining(
            name -> {
              if (!allowed.contains(name) && !OPTIONS.contains(name)) {
                bad.add(
                    new InvalidField(
                        prefix + "." + name,
                        "is not a field of this schedule; it takes " + new TreeSet<>(allowed)));
              }
            });
  }

  private static Recurrence cron(
      JsonNode form, String prefix, ZoneId zone, List<InvalidField> bad) {
    if (form.has("frequency")) {
      bad.add(new InvalidField(prefix + ".cron", "must not be given with frequency"));
      return null;
    }
    String expression = form.path("cron").textValue();
    if (expression == null) {
      bad.add(new InvalidField(prefix + ".cron", "must be a cron expression string"));
      return null;
    }
    try {
      return zone == null ? null : Recurrence.cron(expression, zone);
    } catch (RuntimeException e) {
      bad.add(new InvalidField(prefix + ".cron", e.getMessage()));
      return null;
    }
  }

  private static Recurrence calendar(
      JsonNode form, String prefix, ZoneId zone, List<InvalidField> bad) {
    LocalTime time = time(form, prefix + ".time", bad);
    String frequency = form.path("frequency").textValue();
    if (frequency == null) {
      bad.add(
          new InvalidField(
              prefix + ".frequency", "is required: daily, weekly or monthly (or give cron)"));
      return null;
    }
    switch (frequency.toLowerCase(Locale.ROOT)) {
      case "daily":
        return time == null || zone == null ? null : Recurrence.daily(time, zone);
      case "weekly":
        DayOfWeek day = dayOfWeek(form, prefix + ".day_of_week", bad);
        return time == null || zone == null || day == null
            ? null
            : Recurrence.weekly(day, time, zone);
      case "monthly":
        int dayOfMonth = form.path("day_of_month").asInt(0);
        if (!form.path("day_of_month").isIntegralNumber() || dayOfMonth < 1 || dayOfMonth > 31) {
          bad.add(new InvalidField(prefix + ".day_of_month", "is required for monthly: 1 to 31"));
          return null;
        }
        return time == null || zone == null ? null : Recurrence.monthly(dayOfMonth, time, zone);
      default:
        bad.add(
            new InvalidField(
                prefix + ".frequency",
                "must be daily, weekly or monthly, was '" + frequency + "'"));
        return null;
    }
  }

  private static ZoneId zone(JsonNode form, String field, List<InvalidField> bad) {
    String text = form.path("timezone").textValue();
    if (text == null) {
      bad.add(new InvalidField(field, "is required: an IANA time zone such as America/New_York"));
      return null;
    }
    if (!ZoneId.getAvailableZoneIds().contains(text)) {
      bad.add(
          new InvalidField(
              field, "must be an IANA time zone such as America/New_York, was '" + text + "'"));
      return null;
    }
    return ZoneId.of(text);
  }

  private static LocalTime time(JsonNode form, String field, List<InvalidField> bad) {
    String text = form.path("time").textValue();
    if (text == null) {
      bad.add(new InvalidField(field, "is required: HH:MM or HH:MM:SS, 24-hour"));
      return null;
    }
    try {
      if (!TIME.matcher(text).matches()) {
        throw new DateTimeParseException("not HH:MM[:SS]", text, 0);
      }
      return LocalTime.parse(text);
    } catch (DateTimeParseException e) {
      bad.add(new InvalidField(field, "must be HH:MM or HH:MM:SS, 24-hour, was '" + text + "'"));
      return null;
    }
  }

  private static DayOfWeek dayOfWeek(JsonNode form, String field, List<InvalidField> bad) {
    String text = form.path("day_of_week").textValue();
    if (text != null) {
      for (DayOfWeek d : DayOfWeek.values()) {
        if (d.name().equalsIgnoreCase(text.strip())) {
          return d;
        }
      }
    }
    bad.add(
        new InvalidField(
            field,
            "must be a day of the week, monday to sunday, was "
                + (text == null ? "missing" : "'" + text + "'")));
    return null;
  }
}
