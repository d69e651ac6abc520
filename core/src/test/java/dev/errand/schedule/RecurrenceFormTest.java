package dev.errand.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.InvalidField;
import dev.errand.TaskValidationException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecurrenceFormTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Recurrence parse(String json) throws Exception {
    return RecurrenceForm.parse(JSON.readTree(json), "input.schedule");
  }

  private static void assertRefused(String json, String field, String rule) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(
            TaskValidationException.class,
            e ->
                assertThat(e.invalidFields())
                    .anySatisfy(
                        f -> {
                          assertThat(f.field()).isEqualTo(field);
                          assertThat(f.rule()).contains(rule);
                        }));
  }

  @Test
  void theDocumentsWeeklyFormFiresOnMondaysAtNineInNewYork() throws Exception {
    Recurrence r =
        parse(
            "{\"frequency\": \"weekly\", \"day_of_week\": \"monday\", \"time\": \"09:00:00\","
                + " \"timezone\": \"America/New_York\"}");
    assertThat(r.nextAfter(Instant.parse("2026-11-24T00:00:00Z")))
        .isEqualTo(Instant.parse("2026-11-30T14:00:00Z"));
    assertThat(
            parse("{\"cron\": \"0 9 * * MON\", \"timezone\": \"America/New_York\"}")
                .nextAfter(Instant.parse("2026-11-24T00:00:00Z")))
        .isEqualTo(Instant.parse("2026-11-30T14:00:00Z"));
  }

  @Test
  void badSchedulesAreRefusedNamingTheField() {
    String ok = "\"time\": \"09:00\", \"timezone\": \"UTC\"";
    assertRefused(
        "{\"frequency\": \"weekly\", \"day_of_week\": \"someday\", " + ok + "}",
        "input.schedule.day_of_week",
        "monday to sunday, was 'someday'");
    assertRefused(
        "{\"frequency\": \"daily\", \"time\": \"25:00\", \"timezone\": \"UTC\"}",
        "input.schedule.time",
        "was '25:00'");
    assertRefused(
        "{\"frequency\": \"daily\", \"time\": \"09:00\", \"timezone\": \"Mars/Olympus\"}",
        "input.schedule.timezone",
        "was 'Mars/Olympus'");
    assertRefused(
        "{\"cron\": \"61 * * * *\", \"timezone\": \"UTC\"}",
        "input.schedule.cron",
        "not a valid cron expression");
    assertRefused(
        "{\"frequency\": \"hourly\", " + ok + "}", "input.schedule.frequency", "was 'hourly'");
    assertRefused(
        "{\"frequency\": \"monthly\", " + ok + "}", "input.schedule.day_of_month", "1 to 31");
    assertRefused(
        "{\"frequency\": \"daily\", \"time\": \"09:00\"}",
        "input.schedule.timezone",
        "is required");
  }

  @Test
  void everyProblemIsNamedAtOnce() {
    assertThatThrownBy(
            () ->
                parse(
                    "{\"frequency\": \"weekly\", \"day_of_week\": \"x\", \"time\": \"9am\", \"timezone\": \"Nowhere\"}"))
        .isInstanceOfSatisfying(
            TaskValidationException.class,
            e ->
                assertThat(e.invalidFields())
                    .extracting(InvalidField::field)
                    .containsExactlyInAnyOrder(
                        "input.schedule.timezone",
                        "input.schedule.time",
                        "input.schedule.day_of_week"));
  }
}
