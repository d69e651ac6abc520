package dev.errand;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.agent.Agent;
import dev.errand.internal.DefaultTaskEngine;
import dev.errand.internal.EngineConfig;
import dev.errand.internal.WebhookConfig;
import dev.errand.spi.TaskStore;
import dev.errand.webhook.WebhookSecrets;
import dev.errand.webhook.WebhookUrlPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * Configures a {@link TaskEngine}. Every setter checks its value at once and says what was wrong;
 * rules between settings are checked by {@link #build()}. Only the store and at least one agent are
 * required.
 */
public final class TaskEngineBuilder {
  /** Concurrent runs per engine when not set. */
  public static final int DEFAULT_WORKERS = 8;

  /** The most concurrent runs an engine accepts. */
  public static final int MAX_WORKERS = 10_000;

  /** How long a claim holds a task before it must be renewed, when not set. */
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(30);

  /** How often held leases are renewed, when not set. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(10);

  /** How often an idle engine looks for tasks submitted elsewhere, when not set. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

  /** The longest a run may take when neither the task nor the builder says. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(2);

  /** How often a task's lease may be lost before the task fails, when not set. */
  public static final int DEFAULT_MAX_LEASE_LOSSES = 10;

  /** The most {@link #maxLeaseLosses(int)} accepts. */
  public static final int MAX_LEASE_LOSSES = 1000;

  /** How long {@link TaskEngine#close()} waits for running steps, when not set. */
  public static final Duration DEFAULT_SHUTDOWN_GRACE_PERIOD = Duration.ofSeconds(30);

  /** The largest task input, as UTF-8 JSON bytes, when not set. */
  public static final int DEFAULT_MAX_INPUT_BYTES = 1024 * 1024;

  /**
   * The delays before each retry of a webhook delivery when not set: 5 s, 30 s, 2 min, 10 min, 30
   * min, 1 h, 2 h, 4 h, 8 h and 8 h, about 24 hours in all (each with ±20 % jitter), so eleven
   * attempts.
   */
  public static final List<Duration> DEFAULT_WEBHOOK_RETRY_DELAYS =
      List.of(
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          Duration.ofMinutes(2),
          Duration.ofMinutes(10),
          Duration.ofMinutes(30),
          Duration.ofHours(1),
          Duration.ofHours(2),
          Duration.ofHours(4),
          Duration.ofHours(8),
          Duration.ofHours(8));

  /** Webhook deliveries under way in one engine at most, when not set. */
  public static final int DEFAULT_WEBHOOK_CONCURRENCY = 16;

  /** Webhook deliveries under way for one organization at most, when not set. */
  public static final int DEFAULT_WEBHOOK_CONCURRENCY_PER_ORGANIZATION = 4;

  /** What a task type name may contain. */
  public static final Pattern TASK_TYPE_PATTERN = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");

  private TaskStore store;
  private final Map<String, Agent> agents = new LinkedHashMap<>();
  private int workers = DEFAULT_WORKERS;
  private Duration leaseDuration = DEFAULT_LEASE_DURATION;
  private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
  private Duration pollInterval = DEFAULT_POLL_INTERVAL;
  private Duration defaultTimeout = DEFAULT_TIMEOUT;
  private Duration shutdownGracePeriod = DEFAULT_SHUTDOWN_GRACE_PERIOD;
  private int maxLeaseLosses = DEFAULT_MAX_LEASE_LOSSES;
  private int maxInputBytes = DEFAULT_MAX_INPUT_BYTES;
  private int maxPendingTasks = Integer.MAX_VALUE;
  private WebhookUrlPolicy webhookUrlPolicy = WebhookUrlPolicy.defaults();
  private WebhookSecrets webhookSecrets;
  private List<Duration> webhookRetryDelays = DEFAULT_WEBHOOK_RETRY_DELAYS;
  private int webhookConcurrency = DEFAULT_WEBHOOK_CONCURRENCY;
  private int webhookConcurrencyPerOrganization = DEFAULT_WEBHOOK_CONCURRENCY_PER_ORGANIZATION;
  private SSLContext webhookSslContext;
  private RetryPolicy retryPolicy = RetryPolicy.defaults();
  private Clock clock = Clock.systemUTC();
  private Executor executor;
  private EngineTimer timer;
  private ObjectMapper objectMapper;
  private String workerId;
  private boolean closeStoreOnClose;

  TaskEngineBuilder() {}

  /** Where tasks are kept. Required. */
  public TaskEngineBuilder store(TaskStore store) {
    this.store = Objects.requireNonNull(store, "store");
    return this;
  }

  /**
   * Registers the agent that runs tasks of a type.
   *
   * @throws IllegalArgumentException if the type does not match {@link #TASK_TYPE_PATTERN} or
   *     already has an agent
   */
  public TaskEngineBuilder agent(String taskType, Agent agent) {
    Objects.requireNonNull(taskType, "taskType");
    Objects.requireNonNull(agent, "agent");
    if (!TASK_TYPE_PATTERN.matcher(taskType).matches()) {
      throw new IllegalArgumentException(
          "taskType must match " + TASK_TYPE_PATTERN + ", was '" + taskType + "'");
    }
    if (agents.containsKey(taskType)) {
      throw new IllegalArgumentException("taskType '" + taskType + "' already has an agent");
    }
    agents.put(taskType, agent);
    return this;
  }

  /**
   * Whether {@link TaskEngine#close()} closes the store after the workers have stopped and given
   * their tasks back; default false, since a store may be shared. Set it when the engine is the
   * store's only user, so a database is closed in the right order.
   */
  public TaskEngineBuilder closeStoreOnClose(boolean closeStoreOnClose) {
    this.closeStoreOnClose = closeStoreOnClose;
    return this;
  }

  /**
   * How many tasks this engine runs at once; default {@value #DEFAULT_WORKERS}.
   *
   * @throws IllegalArgumentException if outside 1..{@value #MAX_WORKERS}
   */
  public TaskEngineBuilder workers(int workers) {
    if (workers < 1 || workers > MAX_WORKERS) {
      throw new IllegalArgumentException(
          "workers must be between 1 and " + MAX_WORKERS + ", was " + workers);
    }
    this.workers = workers;
    return this;
  }

  /**
   * How often a task's lease may be lost before the task fails with {@link
   * TaskError#LEASE_LOSSES_EXCEEDED}; default {@value #DEFAULT_MAX_LEASE_LOSSES}. A lease is lost
   * when the worker running the task stops renewing it (its process died or was paused, or it lost
   * the database) and another run takes the task over. That is not the agent's failure, so it
   * spends none of the task's attempts; this limit stops a task that takes its workers down again
   * and again.
   *
   * @throws IllegalArgumentException if outside 1..{@value #MAX_LEASE_LOSSES}
   */
  public TaskEngineBuilder maxLeaseLosses(int maxLeaseLosses) {
    if (maxLeaseLosses < 1 || maxLeaseLosses > MAX_LEASE_LOSSES) {
      throw new IllegalArgumentException(
          "maxLeaseLosses must be between 1 and " + MAX_LEASE_LOSSES + ", was " + maxLeaseLosses);
    }
    this.maxLeaseLosses = maxLeaseLosses;
    return this;
  }

  /**
   * How long a claim holds a task unless renewed; a task whose worker died is recovered after it.
   *
   * @throws IllegalArgumentException if not positive
   */
  public TaskEngineBuilder leaseDuration(Duration leaseDuration) {
    this.leaseDuration = Durations.requirePositive("leaseDuration", leaseDuration);
    return this;
  }

  /**
   * How often held leases are renewed; must be shorter than the lease (a third of it is usual).
   *
   * @throws IllegalArgumentException if not positive
   */
  public TaskEngineBuilder heartbeatInterval(Duration heartbeatInterval) {
    this.heartbeatInterval = Durations.requirePositive("heartbeatInterval", heartbeatInterval);
    return this;
  }

  /**
   * How often an idle engine looks for tasks submitted on other nodes or coming due. Local submits
   * wake the engine at once whatever this is.
   *
   * @throws IllegalArgumentException if not positive
   */
  public TaskEngineBuilder pollInterval(Duration pollInterval) {
    this.pollInterval = Durations.requirePositive("pollInterval", pollInterval);
    return this;
  }

  /**
   * The longest one run may take when the task does not say; a run past it fails the task with
   * {@link TaskError#TASK_TIMEOUT}.
   *
   * @throws IllegalArgumentException if not positive
   */
  public TaskEngineBuilder defaultTimeout(Duration defaultTimeout) {
    this.defaultTimeout = Durations.requirePositive("defaultTimeout", defaultTimeout);
    return this;
  }

  /**
   * How long {@link TaskEngine#close()} lets running steps finish before it gives their tasks back.
   *
   * @throws IllegalArgumentException if negative
   */
  public TaskEngineBuilder shutdownGracePeriod(Duration shutdownGracePeriod) {
    this.shutdownGracePeriod =
        Durations.requireNonNegative("shutdownGracePeriod", shutdownGracePeriod);
    return this;
  }

  /**
   * The largest task input accepted, in UTF-8 bytes of its JSON.
   *
   * @throws IllegalArgumentException if below 1
   */
  public TaskEngineBuilder maxInputBytes(int maxInputBytes) {
    if (maxInputBytes < 1) {
      throw new IllegalArgumentException("maxInputBytes must be at least 1, was " + maxInputBytes);
    }
    this.maxInputBytes = maxInputBytes;
    return this;
  }

  /**
   * The most PENDING tasks the store may hold: beyond it, submits are refused with {@link
   * CapacityExceededException} (the HTTP API answers 503 INSUFFICIENT_RESOURCES). The count is
   * refreshed once a second, so engines sharing a store may overshoot by a second of submits; a
   * resubmit with an idempotency key is refused too while the engine is full. Default: no limit.
   *
   * @throws IllegalArgumentException if below 1
   */
  public TaskEngineBuilder maxPendingTasks(int maxPendingTasks) {
    if (maxPendingTasks < 1) {
      throw new IllegalArgumentException(
          "maxPendingTasks must be at least 1, was " + maxPendingTasks);
    }
    this.maxPendingTasks = maxPendingTasks;
    return this;
  }

  /**
   * Which webhook URLs a task may give: checked at submit (and again at each delivery); default
   * {@link WebhookUrlPolicy#defaults()}: https only, public addresses only.
   */
  public TaskEngineBuilder webhookUrlPolicy(WebhookUrlPolicy webhookUrlPolicy) {
    this.webhookUrlPolicy = Objects.requireNonNull(webhookUrlPolicy, "webhookUrlPolicy");
    return this;
  }

  /**
   * The secrets that sign webhooks, per organization. Webhooks are delivered only when these are
   * set; without them a task giving a webhook URL is refused. Every engine on one store must have
   * the same secrets, since any of them may deliver any webhook.
   */
  public TaskEngineBuilder webhookSecrets(WebhookSecrets webhookSecrets) {
    this.webhookSecrets = Objects.requireNonNull(webhookSecrets, "webhookSecrets");
    return this;
  }

  /**
   * The delays before each retry of a failed webhook delivery, each applied with ±20 % jitter (or
   * the receiver's Retry-After, if longer); default {@link #DEFAULT_WEBHOOK_RETRY_DELAYS}. A
   * delivery is given up after one attempt more than there are delays.
   *
   * @throws IllegalArgumentException if there are none or more than 100, or one is not positive
   */
  public TaskEngineBuilder webhookRetryDelays(List<Duration> delays) {
    Objects.requireNonNull(delays, "webhookRetryDelays");
    if (delays.isEmpty() || delays.size() > 100) {
      throw new IllegalArgumentException(
          "webhookRetryDelays must have between 1 and 100 delays, had " + delays.size());
    }
    delays.forEach(d -> Durations.requirePositive("webhookRetryDelays", d));
    this.webhookRetryDelays = List.copyOf(delays);
    return this;
  }

  /**
   * How many webhook deliveries this engine makes at once, in all and for one organization; default
   * {@value #DEFAULT_WEBHOOK_CONCURRENCY} and {@value
   * #DEFAULT_WEBHOOK_CONCURRENCY_PER_ORGANIZATION}.
   *
   * @throws IllegalArgumentException unless 1 ≤ perOrganization ≤ total ≤ 1000
   */
  public TaskEngineBuilder webhookConcurrency(int total, int perOrganization) {
    if (total < 1 || total > 1000 || perOrganization < 1 || perOrganization > total) {
      throw new IllegalArgumentException(
          "webhookConcurrency must have 1 <= perOrganization <= total <= 1000, was total "
              + total
              + ", perOrganization "
              + perOrganization);
    }
    this.webhookConcurrency = total;
    this.webhookConcurrencyPerOrganization = perOrganization;
    return this;
  }

  /**
   * The TLS settings for https webhook deliveries, for a receiver whose certificate a private
   * authority signed; default the JVM's. Certificates are always checked against the URL's host.
   */
  public TaskEngineBuilder webhookSslContext(SSLContext sslContext) {
    this.webhookSslContext = Objects.requireNonNull(sslContext, "webhookSslContext");
    return this;
  }

  /** How failed runs are retried; default {@link RetryPolicy#defaults()}. */
  public TaskEngineBuilder retryPolicy(RetryPolicy retryPolicy) {
    this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    return this;
  }

  /** The source of every instant the engine stores; default the system UTC clock. */
  public TaskEngineBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Runs agents on the host's executor instead of the engine's own threads. It must be able to run
   * {@code workers} tasks at once; the engine never shuts it down.
   */
  public TaskEngineBuilder executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  /**
   * Runs timed work on this timer instead of the engine's own, heartbeats included, and measures
   * lease deadlines by its {@link EngineTimer#nanoTime()}; the engine never stops it. A timer whose
   * threads a slow store call can hold up delays heartbeats too: the engine's own keeps heartbeats
   * on a thread of their own.
   */
  public TaskEngineBuilder timer(EngineTimer timer) {
    this.timer = Objects.requireNonNull(timer, "timer");
    return this;
  }

  /** Reads and writes task payloads; default a mapper with Java time support. */
  public TaskEngineBuilder objectMapper(ObjectMapper objectMapper) {
    this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
    return this;
  }

  /**
   * The name this engine's leases are held under; default host name, process id and a random
   * suffix.
   *
   * @throws IllegalArgumentException if blank or longer than 200 characters
   */
  public TaskEngineBuilder workerId(String workerId) {
    Objects.requireNonNull(workerId, "workerId");
    if (workerId.isBlank() || workerId.length() > 200) {
      throw new IllegalArgumentException(
          "workerId must be 1 to 200 characters and not blank, was '" + workerId + "'");
    }
    this.workerId = workerId;
    return this;
  }

  /**
   * The engine, not yet started.
   *
   * @throws IllegalStateException if the store or every agent is missing, or the heartbeat interval
   *     is not shorter than the lease
   */
  public TaskEngine build() {
    if (store == null) {
      throw new IllegalStateException("store is required");
    }
    if (agents.isEmpty()) {
      throw new IllegalStateException("at least one agent is required");
    }
    if (heartbeatInterval.compareTo(leaseDuration) >= 0) {
      throw new IllegalStateException(
          "heartbeatInterval ("
              + heartbeatInterval
              + ") must be shorter than leaseDuration ("
              + leaseDuration
              + ")");
    }
    return new DefaultTaskEngine(
        new EngineConfig(
            store,
            Map.copyOf(agents),
            workers,
            leaseDuration,
            heartbeatInterval,
            pollInterval,
            defaultTimeout,
            shutdownGracePeriod,
            maxInputBytes,
            maxPendingTasks,
            maxLeaseLosses,
            new WebhookConfig(
                webhookUrlPolicy,
                webhookSecrets,
                webhookRetryDelays,
                webhookConcurrency,
                webhookConcurrencyPerOrganization,
                webhookSslContext),
            retryPolicy,
            clock,
            executor,
            timer,
            objectMapper,
            workerId,
            closeStoreOnClose));
  }
}
