package dev.errand.http.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How many security log lines a minute may hold, so that a flood of failures (a thousand wrong
 * passwords) costs a few lines, not a line each: at most {@value #PER_SOURCE} lines a minute per
 * client address and {@value #TOTAL} in all. The events over budget are counted, and the count is
 * logged as one summary line with the first event of a later minute. Minutes are the feature
 * clock's. Thread-safe.
 */
final class LogBudget {
  static final int PER_SOURCE = 5;
  static final int TOTAL = 20;

  /** The most sources a minute's summary counts one by one. */
  private static final int MAX_COUNTED_SOURCES = 10_000;

  /** Whether to log the event, and a summary of the minute before to log first, or null. */
  record Decision(boolean log, String summary) {}

  private long minute = Long.MIN_VALUE;
  private int logged;
  private final Map<String, Integer> loggedBySource = new HashMap<>();
  private final Map<Integer, Long> unloggedByStatus = new TreeMap<>();
  private final Set<String> unloggedSources = new HashSet<>();

  synchronized Decision admit(String source, int status, Instant now) {
    long current = Math.floorDiv(now.getEpochSecond(), 60);
    String summary = null;
    if (current != minute) {
      summary = summary();
      minute = current;
      logged = 0;
      loggedBySource.clear();
      unloggedByStatus.clear();
      unloggedSources.clear();
    }
    int fromSource = loggedBySource.getOrDefault(source, 0);
    if (logged < TOTAL && fromSource < PER_SOURCE) {
      logged++;
      loggedBySource.put(source, fromSource + 1);
      return new Decision(true, summary);
    }
    unloggedByStatus.merge(status, 1L, Long::sum);
    if (unloggedSources.size() < MAX_COUNTED_SOURCES) {
      unloggedSources.add(source);
    }
    return new Decision(false, summary);
  }

  /** The summary of the minute that ends now, or null when every event of it was logged. */
  private String summary() {
    if (unloggedByStatus.isEmpty()) {
      return null;
    }
    long total = unloggedByStatus.values().stream().mapToLong(Long::longValue).sum();
    String sources =
        unloggedSources.size() < MAX_COUNTED_SOURCES
            ? Integer.toString(unloggedSources.size())
            : MAX_COUNTED_SOURCES + " or more";
    return total
        + " more events in the minute from "
        + Instant.ofEpochSecond(minute * 60)
        + " were not logged line by line (at most "
        + PER_SOURCE
        + " a minute per address and "
        + TOTAL
        + " in all): by status "
        + unloggedByStatus
        + ", from "
        + sources
        + " addresses";
  }
}
