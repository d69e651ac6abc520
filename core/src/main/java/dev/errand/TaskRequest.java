package dev.errand;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * What a caller asks the engine to run. Only the task type is required; the engine checks every
 * value when the request is submitted and reports all bad fields at once in a {@link
 * TaskValidationException}.
 *
 * <p>The input and metadata are any value the engine's {@code ObjectMapper} can write as JSON (a
 * {@code JsonNode}, a map, a record); metadata must be a JSON object.
 */
public final class TaskRequest {
  /** The organization of a task submitted without one. */
  public static final String DEFAULT_ORGANIZATION = "default";

  /** The owner of a task submitted without one. */
  public static final String DEFAULT_OWNER = "system";

  /** The priority of a task submitted without one. */
  public static final int DEFAULT_PRIORITY = 5;

  /** The lowest priority. */
  public static final int MIN_PRIORITY = 1;

  /** The highest priority. */
  public static final int MAX_PRIORITY = 10;

  /** The longest delay or timeout a request may ask for; use run-after for later starts. */
  public static final Duration MAX_DURATION = Duration.ofDays(3650);

  private final String taskType;
  private final Object input;
  private final Object metadata;
  private final int priority;
  private final String organizationId;
  private final String ownerId;
  private final URI webhookUrl;
  private final String idempotencyKey;
  private final String skillRef;
  private final String model;
  private final Instant runAfter;
  private final Duration delay;
  private final Duration timeout;
  private final Integer maxAttempts;

  private TaskRequest(Builder b) {
    this.taskType = b.taskType;
    this.input = b.input;
    this.metadata = b.metadata;
    this.priority = b.priority;
    this.organizationId = b.organizationId;
    this.ownerId = b.ownerId;
    this.webhookUrl = b.webhookUrl;
    this.idempotencyKey = b.idempotencyKey;
    this.skillRef = b.skillRef;
    this.model = b.model;
    this.runAfter = b.runAfter;
    this.delay = b.delay;
    this.timeout = b.timeout;
    this.maxAttempts = b.maxAttempts;
  }

  /** A request for a task of the given type. */
  public static Builder builder(String taskType) {
    return new Builder(taskType);
  }

  /** The task type, naming the agent that runs it. */
  public String taskType() {
    return taskType;
  }

  /** The agent's input, or {@code null} for an empty JSON object. */
  public Object input() {
    return input;
  }

  /** The metadata, or {@code null} for an empty JSON object. */
  public Object metadata() {
    return metadata;
  }

  /** The priority, 1 to 10. */
  public int priority() {
    return priority;
  }

  /** The organization that owns the task. */
  public String organizationId() {
    return organizationId;
  }

  /** Who submitted the task. */
  public String ownerId() {
    return ownerId;
  }

  /** Where to post updates, or {@code null}. */
  public URI webhookUrl() {
    return webhookUrl;
  }

  /** The idempotency key, or {@code null}. */
  public String idempotencyKey() {
    return idempotencyKey;
  }

  /** The skill the agent must load first, or {@code null}. */
  public String skillRef() {
    return skillRef;
  }

  /** The model the agent should use, or {@code null}. */
  public String model() {
    return model;
  }

  /** The earliest start, or {@code null}. */
  public Instant runAfter() {
    return runAfter;
  }

  /** The delay from submit to the earliest start, or {@code null}. */
  public Duration delay() {
    return delay;
  }

  /** The longest a run may take, or {@code null} for the engine's default. */
  public Duration timeout() {
    return timeout;
  }

  /** The number of runs allowed, or {@code null} for the engine's retry policy. */
  public Integer maxAttempts() {
    return maxAttempts;
  }

  /** Builds a {@link TaskRequest}. Values are checked when the request is submitted. */
  public static final class Builder {
    private final String taskType;
    private Object input;
    private Object metadata;
    private int priority = DEFAULT_PRIORITY;
    private String organizationId = DEFAULT_ORGANIZATION;
    private String ownerId = DEFAULT_OWNER;
    private URI webhookUrl;
    private String idempotencyKey;
    private String skillRef;
    private String model;
    private Instant runAfter;
    private Duration delay;
    private Duration timeout;
    private Integer maxAttempts;

    private Builder(String taskType) {
      this.taskType = taskType;
    }

    /** The agent's input: a {@code JsonNode} or any value the ObjectMapper can write. */
    public Builder input(Object input) {
      this.input = input;
      return this;
    }

    /** Free-form metadata, returned as given; must be a JSON object. */
    public Builder metadata(Object metadata) {
      this.metadata = metadata;
      return this;
    }

    /** 1 (lowest) to 10 (highest); default {@value TaskRequest#DEFAULT_PRIORITY}. */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /** The organization that owns the task; default {@value TaskRequest#DEFAULT_ORGANIZATION}. */
    public Builder organizationId(String organizationId) {
      this.organizationId = organizationId;
      return this;
    }

    /** Who submitted the task; default {@value TaskRequest#DEFAULT_OWNER}. */
    public Builder ownerId(String ownerId) {
      this.ownerId = ownerId;
      return this;
    }

    /** An absolute http or https URL to post updates to. */
    public Builder webhookUrl(URI webhookUrl) {
      this.webhookUrl = webhookUrl;
      return this;
    }

    /** A key unique per organization: submitting it again returns the first task. */
    public Builder idempotencyKey(String idempotencyKey) {
      this.idempotencyKey = idempotencyKey;
      return this;
    }

    /** A skill the agent must load before anything else. */
    public Builder skillRef(String skillRef) {
      this.skillRef = skillRef;
      return this;
    }

    /** The model the agent should use. */
    public Builder model(String model) {
      this.model = model;
      return this;
    }

    /** Do not start before this instant. Cannot be combined with {@link #delay}. */
    public Builder runAfter(Instant runAfter) {
      this.runAfter = runAfter;
      return this;
    }

    /** Do not start before this much time has passed. Cannot be combined with {@link #runAfter}. */
    public Builder delay(Duration delay) {
      this.delay = delay;
      return this;
    }

    /** The longest one run may take; default: the engine's default timeout. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** How many runs the task may have in all; default: the engine's retry policy. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** The request. Values are checked by {@link TaskEngine#submit}. */
    public TaskRequest build() {
      return new TaskRequest(this);
    }
  }

  @Override
  public String toString() {
    return "TaskRequest[taskType=" + taskType + ", organizationId=" + organizationId + "]";
  }
}
