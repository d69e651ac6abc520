package dev.errand.schedule;

import java.time.LocalDateTime;

/** Local date-times, in a time zone not yet applied: the next one strictly after a given one. */
@FunctionalInterface
interface LocalSequence {
  /** The first local date-time of the sequence strictly after {@code after}. */
  LocalDateTime nextAfter(LocalDateTime after);
}
