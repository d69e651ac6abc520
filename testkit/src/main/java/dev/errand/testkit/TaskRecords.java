package dev.errand.testkit;

import dev.errand.spi.TaskRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Builders of store records for store tests, with sensible defaults for every field. */
public final class TaskRecords {
  /** The type of tasks made by these builders unless changed. */
  public static final String TYPE = "test_task";

  private TaskRecords() {}

  /** A PENDING task created now, due now, priority 5, three attempts, in organization "org-a". */
  public static TaskRecord.Builder aPendingTask(Instant now) {
    return aPendingTask(now, TYPE);
  }

  /** A PENDING task of the given type, otherwise as {@link #aPendingTask(Instant)}. */
  public static TaskRecord.Builder aPendingTask(Instant now, String type) {
    return TaskRecord.newTask(UUID.randomUUID(), type, now)
        .organizationId("org-a")
        .ownerId("user-1")
        .input("{\"n\":1}")
        .metadata("{\"team\":\"research\"}")
        .timeout(Duration.ofMinutes(10))
        .maxAttempts(3);
  }
}
