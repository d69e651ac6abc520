package dev.errand.spi;

import dev.errand.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A task as a store keeps it: the public model plus its lease, with JSON payloads as text.
 * Immutable; use {@link #toBuilder()} to derive a changed copy.
 *
 * @param id the task's id
 * @param organizationId the owning organization
 * @param ownerId who submitted it
 * @param taskType its type
 * @param priority 1 to 10, higher first
 * @param status its status
 * @param input JSON text
 * @param metadata JSON text of an object
 * @param webhookUrl URL text or {@code null}
 * @param idempotencyKey unique per organization, or {@code null}
 * @param skillRef skill reference or {@code null}
 * @param model model name or {@code null}
 * @param runAfter not claimed before this instant
 * @param timeout the longest one run may take
 * @param maxAttempts runs allowed in all
 * @param attempt runs charged to the agent so far: a run that ended because its lease was lost (its
 *     worker died, stalled or was cut off) is given back and counted in {@code leaseLosses}
 * @param leaseLosses how often the task's lease expired and was recovered
 * @param fence incremented by every claim; worker writes must carry the current value
 * @param leaseOwner the worker holding the lease, or {@code null}
 * @param leaseExpiresAt when the lease ends unless renewed, or {@code null}
 * @param progressPercentage 0 to 100
 * @param currentStage the stage last reported, or {@code null}
 * @param stagesCompleted the completed stages
 * @param outputPreview JSON text or {@code null}
 * @param result JSON text or {@code null}
 * @param report text or {@code null}
 * @param errorCode the last error's code, or {@code null}
 * @param errorMessage the last error's message, or {@code null}
 * @param cancelRequested whether a cancel was requested
 * @param cancelReason the reason given, or {@code null}
 * @param createdAt when accepted
 * @param startedAt when first started, or {@code null}
 * @param updatedAt when last changed
 * @param completedAt when it reached a final status, or {@code null}
 */
public record TaskRecord(
    UUID id,
    String organizationId,
    String ownerId,
    String taskType,
    int priority,
    TaskStatus status,
    String input,
    String metadata,
    String webhookUrl,
    String idempotencyKey,
    String skillRef,
    String model,
    Instant runAfter,
    Duration timeout,
    int maxAttempts,
    int attempt,
    int leaseLosses,
    long fence,
    String leaseOwner,
    Instant leaseExpiresAt,
    int progressPercentage,
    String currentStage,
    List<String> stagesCompleted,
    String outputPreview,
    String result,
    String report,
    String errorCode,
    String errorMessage,
    boolean cancelRequested,
    String cancelReason,
    Instant createdAt,
    Instant startedAt,
    Instant updatedAt,
    Instant completedAt) {

  /**
   * The order in which due tasks are claimed: highest priority, then earliest run-after, then id.
   */
  public static final Comparator<TaskRecord> CLAIM_ORDER =
      Comparator.comparingInt(TaskRecord::priority)
          .reversed()
          .thenComparing(TaskRecord::runAfter)
          .thenComparing(TaskRecord::id);

  /** Checks the required values and copies the list. */
  public TaskRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(ownerId, "ownerId");
    Objects.requireNonNull(taskType, "taskType");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(runAfter, "runAfter");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    stagesCompleted = List.copyOf(Objects.requireNonNull(stagesCompleted, "stagesCompleted"));
  }

  /** A builder holding this record's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A builder for a new PENDING task with no run yet. */
  public static Builder newTask(UUID id, String taskType, Instant createdAt) {
    Builder b = new Builder();
    b.id = id;
    b.taskType = taskType;
    b.createdAt = createdAt;
    b.updatedAt = createdAt;
    b.runAfter = createdAt;
    return b;
  }

  /** Builds a {@link TaskRecord}; values are checked by the record's constructor. */
  public static final class Builder {
    private UUID id;
    private String organizationId;
    private String ownerId;
    private String taskType;
    private int priority = 5;
    private TaskStatus status = TaskStatus.PENDING;
    private String input = "{}";
    private String metadata = "{}";
    private String webhookUrl;
    private String idempotencyKey;
    private String skillRef;
    private String model;
    private Instant runAfter;
    private Duration timeout = Duration.ofHours(1);
    private int maxAttempts = 1;
    private int attempt;
    private int leaseLosses;
    private long fence;
    private String leaseOwner;
    private Instant leaseExpiresAt;
    private int progressPercentage;
    private String currentStage;
    private List<String> stagesCompleted = List.of();
    private String outputPreview;
    private String result;
    private String report;
    private String errorCode;
    private String errorMessage;
    private boolean cancelRequested;
    private String cancelReason;
    private Instant createdAt;
    private Instant startedAt;
    private Instant updatedAt;
    private Instant completedAt;

    private Builder() {}

    private Builder(TaskRecord r) {
      id = r.id;
      organizationId = r.organizationId;
      ownerId = r.ownerId;
      taskType = r.taskType;
      priority = r.priority;
      status = r.status;
      input = r.input;
      metadata = r.metadata;
      webhookUrl = r.webhookUrl;
      idempotencyKey = r.idempotencyKey;
      skillRef = r.skillRef;
      model = r.model;
      runAfter = r.runAfter;
      timeout = r.timeout;
      maxAttempts = r.maxAttempts;
      attempt = r.attempt;
      leaseLosses = r.leaseLosses;
      fence = r.fence;
      leaseOwner = r.leaseOwner;
      leaseExpiresAt = r.leaseExpiresAt;
      progressPercentage = r.progressPercentage;
      currentStage = r.currentStage;
      stagesCompleted = r.stagesCompleted;
      outputPreview = r.outputPreview;
      result = r.result;
      report = r.report;
      errorCode = r.errorCode;
      errorMessage = r.errorMessage;
      cancelRequested = r.cancelRequested;
      cancelReason = r.cancelReason;
      createdAt = r.createdAt;
      startedAt = r.startedAt;
      updatedAt = r.updatedAt;
      completedAt = r.completedAt;
    }

    // One setter per component; names as the record's.

    public Builder organizationId(String v) {
      organizationId = v;
      return this;
    }

    public Builder ownerId(String v) {
      ownerId = v;
      return this;
    }

    public Builder priority(int v) {
      priority = v;
      return this;
    }

    public Builder status(TaskStatus v) {
      status = v;
      return this;
    }

    public Builder input(String v) {
      input = v;
      return this;
    }

    public Builder metadata(String v) {
      metadata = v;
      return this;
    }

    public Builder webhookUrl(String v) {
      webhookUrl = v;
      return this;
    }

    public Builder idempotencyKey(String v) {
      idempotencyKey = v;
      return this;
    }

    public Builder skillRef(String v) {
      skillRef = v;
      return this;
    }

    public Builder model(String v) {
      model = v;
      return this;
    }

    public Builder runAfter(Instant v) {
      runAfter = v;
      return this;
    }

    public Builder timeout(Duration v) {
      timeout = v;
      return this;
    }

    public Builder maxAttempts(int v) {
      maxAttempts = v;
      return this;
    }

    public Builder attempt(int v) {
      attempt = v;
      return this;
    }

    public Builder leaseLosses(int v) {
      leaseLosses = v;
      return this;
    }

    public Builder fence(long v) {
      fence = v;
      return this;
    }

    /** Sets both lease fields; {@code null}s clear the lease. */
    public Builder lease(String owner, Instant expiresAt) {
      leaseOwner = owner;
      leaseExpiresAt = expiresAt;
      return this;
    }

    public Builder progressPercentage(int v) {
      progressPercentage = v;
      return this;
    }

    public Builder currentStage(String v) {
      currentStage = v;
      return this;
    }

    public Builder stagesCompleted(List<String> v) {
      stagesCompleted = v;
      return this;
    }

    public Builder outputPreview(String v) {
      outputPreview = v;
      return this;
    }

    public Builder result(String v) {
      result = v;
      return this;
    }

    public Builder report(String v) {
      report = v;
      return this;
    }

    /** Sets both error fields; {@code null}s clear the error. */
    public Builder error(String code, String message) {
      errorCode = code;
      errorMessage = message;
      return this;
    }

    /** Sets both cancel fields. */
    public Builder cancel(boolean requested, String reason) {
      cancelRequested = requested;
      cancelReason = reason;
      return this;
    }

    public Builder startedAt(Instant v) {
      startedAt = v;
      return this;
    }

    public Builder updatedAt(Instant v) {
      updatedAt = v;
      return this;
    }

    public Builder completedAt(Instant v) {
      completedAt = v;
      return this;
    }

    /** The record. */
    public TaskRecord build() {
      return new TaskRecord(
          id,
          organizationId,
          ownerId,
          taskType,
          priority,
          status,
          input,
          metadata,
          webhookUrl,
          idempotencyKey,
          skillRef,
          model,
          runAfter,
          timeout,
          maxAttempts,
          attempt,
          leaseLosses,
          fence,
          leaseOwner,
          leaseExpiresAt,
          progressPercentage,
          currentStage,
          stagesCompleted,
          outputPreview,
          result,
          report,
          errorCode,
          errorMessage,
          cancelRequested,
          cancelReason,
          createdAt,
          startedAt,
          updatedAt,
          completedAt);
    }
  }
}
