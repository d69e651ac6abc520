package dev.errand.schedule;

/** Whether a schedule fires. */
public enum ScheduleStatus {
  /** It fires at each occurrence. */
  ACTIVE,
  /** It does not fire until resumed; occurrences meanwhile are not caught up. */
  PAUSED,
  /** It never fires again. */
  DELETED
}
