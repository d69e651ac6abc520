package dev.errand;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The HTTP {@code Retry-After} header, for agents and deliveries that call other services: a number
 * of seconds or an HTTP date (RFC 9110, section 10.2.3).
 */
public final class RetryAfter {
  private RetryAfter() {}

  /**
   * How long to wait from {@code now}; empty when the value is absent, unreadable, or in the past.
   *
   * @param value the header's value, or {@code null}
   * @param now the instant the answer arrived, for a date
   */
  public static Optional<Duration> parse(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    Duration wait;
    try {
      wait = Duration.ofSeconds(Long.parseLong(value.strip()));
    } catch (NumberFormatException e) {
      try {
        Instant at =
            ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        wait = Duration.between(now, at);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
    return wait.isNegative() ? Optional.empty() : Optional.of(wait);
  }
}
