package dev.errand.schedule;

/** What an occurrence does when the schedule's previous task has not ended yet. */
public enum OverlapPolicy {
  /** The occurrence is skipped; the next one comes as usual. */
  SKIP,
  /** The occurrence waits until the previous task has ended, then fires. */
  QUEUE,
  /** The previous task is cancelled (gracefully) and the occurrence fires. */
  CANCEL_PREVIOUS
}
