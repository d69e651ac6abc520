package dev.errand.internal;

import dev.errand.StoreException;
import org.slf4j.Logger;

/**
 * Logs a failure of background work. A store failure (the database down, a timeout) is an operating
 * condition whose message says all there is, so it is one line, with its stack trace at debug
 * level; anything else is a defect and keeps its stack trace.
 */
final class FailureLog {
  private FailureLog() {}

  static void warn(Logger log, String what, RuntimeException e) {
    if (e instanceof StoreException) {
      log.warn("{}: {}", what, e.getMessage());
      log.debug("{}", what, e);
    } else {
      log.warn(what, e);
    }
  }
}
