package dev.errand.schedule;

import dev.errand.ErrandException;
import java.util.UUID;

/** There is no schedule with the id, or none that is not deleted. */
public class ScheduleNotFoundException extends ErrandException {
  private static final long serialVersionUID = 1L;

  private final UUID scheduleId;

  /** No schedule {@code scheduleId}. */
  public ScheduleNotFoundException(UUID scheduleId) {
    super("schedule " + scheduleId + " not found");
    this.scheduleId = scheduleId;
  }

  /** The id asked for. */
  public UUID scheduleId() {
    return scheduleId;
  }
}
