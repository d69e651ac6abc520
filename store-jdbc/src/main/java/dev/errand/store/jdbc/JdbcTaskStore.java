package dev.errand.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.errand.StoreException;
import dev.errand.TaskEvent;
import dev.errand.TaskQuery;
import dev.errand.schedule.Schedule;
import dev.errand.schedule.ScheduleStatus;
import dev.errand.spi.CancelCommand;
import dev.errand.spi.Checkpoint;
import dev.errand.spi.CheckpointWrite;
import dev.errand.spi.ClaimRequest;
import dev.errand.spi.Completion;
import dev.errand.spi.InsertResult;
import dev.errand.spi.ProgressUpdate;
import dev.errand.spi.ReclaimRequest;
import dev.errand.spi.Release;
import dev.errand.spi.RenewRequest;
import dev.errand.spi.RenewResult;
import dev.errand.spi.StoredPage;
import dev.errand.spi.TaskRecord;
import dev.errand.spi.TaskStore;
import dev.errand.spi.WebhookClaim;
import dev.errand.spi.WebhookOutcome;
import dev.errand.webhook.WebhookDelivery;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TaskStore} in a relational database: an embedded H2 file database (see {@link
 * #h2File(Path)}, the default for one process) or PostgreSQL, which several nodes can share.
 *
 * <p>Every method runs in one transaction, and each change records its event in that transaction.
 * Claims never hand one task to two workers: on PostgreSQL a single {@code UPDATE ... WHERE id IN
 * (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING}, on H2 a {@code SELECT ... FOR UPDATE SKIP LOCKED}
 * and an update in one transaction. Every worker write carries the fence. Database errors are
 * thrown as {@link StoreException} with their SQLState. Thread-safe.
 */
public final class JdbcTaskStore implements TaskStore {
  /** The prefix of the store's table names when none is given. */
  public static final String DEFAULT_TABLE_PREFIX = "errand_";

  /** What a table prefix may contain. */
  public static final Pattern TABLE_PREFIX_PATTERN = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,30}");

  /**
   * How the store treats the database schema at start.
   *
   * <p>Schema versions are additive: a later version only adds tables, columns with defaults and
   * indexes. So a store accepts a database at its own latest version or any newer one, as in a
   * rolling upgrade where the first node of the new release migrates while older nodes still run;
   * it refuses or migrates only an older one.
   */
  public enum SchemaMode {
    /**
     * Apply the versioned scripts the database has not had yet (the default); a database at a newer
     * version is used as it is.
     */
    MIGRATE,
    /**
     * Only check that the schema is at the version this store needs or a newer one, for hosts that
     * migrate; an older schema is refused with a {@link StoreException} naming both versions.
     */
    VALIDATE
  }

  /** How long a transaction may sit idle before PostgreSQL ends it, when not set. */
  public static final Duration DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT = Duration.ofSeconds(10);

  /** How long a statement waits for a lock before it fails, when not set. */
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);

  /** How long one statement may run before it fails, when not set. */
  public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(60);

  /** The SQLState of a unique constraint's violation, in H2 and PostgreSQL. */
  static final String UNIQUE_VIOLATION = "23505";

  private static final Logger log = LoggerFactory.getLogger(JdbcTaskStore.class);

  private final Db db;
  private final boolean syncOnCommit;
  private final AutoCloseable ownedPool;
  private final TaskQueries queries;
  private final TaskWrites writes;
  private final TaskInserts inserts;
  private final EventOutbox events;
  private final WebhookOutbox webhooks;
  private final ScheduleTable schedules;
  private final Renewals renewals;
  private final Sql sql;

  private JdbcTaskStore(Builder b, DataSource dataSource, Dialect dialect) {
    boolean perTransaction = dialect == Dialect.POSTGRESQL && !b.boundsPerSession;
    this.db = new Db(dataSource, dialect, perTransaction ? b.timeouts.transactionSettings() : null);
    this.syncOnCommit = b.syncOnCommit;
    this.ownedPool = b.ownedPool;
    this.sql = new Sql(dialect, b.tablePrefix);
    this.events = new EventOutbox(db, sql);
    this.webhooks = new WebhookOutbox(db, sql, events);
    this.schedules = new ScheduleTable(db, sql);
    this.renewals = new Renewals(db, sql);
    this.queries = new TaskQueries(sql);
    this.writes = new TaskWrites(db, sql, events);
    this.inserts = new TaskInserts(db, sql, queries, events);
  }

  /**
   * The embedded default: an H2 database in files under {@code directory}, created if missing, with
   * a connection pool the store owns and closes.
   *
   * @throws StoreException if the database cannot be opened or migrated
   */
  public static JdbcTaskStore h2File(Path directory) {
    return builder(h2FileUrl(directory), "sa", "").build();
  }

  /**
   * The JDBC URL of the embedded default database in {@code directory}. {@code WRITE_DELAY=0}
   * writes each commit to the file before it returns (with H2's default delay a killed process
   * loses the last second of acknowledged commits); {@code DB_CLOSE_ON_EXIT=FALSE} leaves closing
   * to the store, after the engine has stopped.
   */
  public static String h2FileUrl(Path directory) {
    Path file = directory.toAbsolutePath().resolve("errand");
    return "jdbc:h2:file:" + file + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
  }

  /** A store on the host's data source, which the store never closes. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource"), null);
  }

  /** A store on a HikariCP pool it creates for this URL and closes with itself. */
  public static Builder builder(String jdbcUrl, String user, String password) {
    return new Builder(
        null, OwnedPool.config(Objects.requireNonNull(jdbcUrl, "jdbcUrl"), user, password));
  }

  @Override
  public InsertResult insert(TaskRecord task) {
    return inserts.store(task);
  }

  /**
   * In the caller's transaction: never committed, rolled back or closed here. On PostgreSQL a taken
   * idempotency key does not end the caller's transaction ({@code ON CONFLICT DO NOTHING}).
   */
  @Override
  public InsertResult insert(Connection transaction, TaskRecord task) {
    return inserts.storeInCallers(Objects.requireNonNull(transaction, "transaction"), task);
  }

  /**
   * All in one transaction; on PostgreSQL, new tasks and their events go in one statement per
   * {@value TaskInserts#CHUNK}.
   */
  @Override
  public List<InsertResult> insertAll(List<TaskRecord> tasks) {
    return inserts.storeAll(tasks);
  }

  @Override
  public Optional<TaskRecord> find(UUID id) {
    return db.inTransaction("finding task " + id, c -> queries.find(c, id));
  }

  @Override
  public StoredPage list(TaskQuery query) {
    return db.inTransaction("listing tasks", c -> queries.list(c, query));
  }

  @Override
  public List<TaskRecord> claim(ClaimRequest request) {
    return db.inTransaction("claiming tasks", c -> writes.claim(c, request));
  }

  @Override
  public RenewResult renew(RenewRequest request) {
    if (request.leases().isEmpty()) {
      return RenewResult.none();
    }
    return db.inTransaction("renewing leases", c -> renewals.renew(c, request));
  }

  @Override
  public boolean checkpoint(CheckpointWrite write) {
    boolean held = db.inTransaction("storing a checkpoint", c -> writes.checkpoint(c, write));
    syncIfAsked(held);
    return held;
  }

  @Override
  public List<Checkpoint> checkpoints(UUID taskId) {
    return db.inTransaction("reading checkpoints", c -> queries.checkpoints(c, taskId));
  }

  @Override
  public boolean progress(ProgressUpdate update) {
    return db.inTransaction("storing progress", c -> writes.progress(c, update));
  }

  @Override
  public boolean complete(Completion completion) {
    boolean held = db.inTransaction("completing a task", c -> writes.complete(c, completion));
    syncIfAsked(held);
    return held;
  }

  @Override
  public List<Boolean> completeAll(List<Completion> completions) {
    if (completions.isEmpty()) {
      return List.of();
    }
    List<Boolean> held =
        db.inTransaction(
            "completing " + completions.size() + " tasks", c -> writes.completeAll(c, completions));
    syncIfAsked(held.contains(true));
    return held;
  }

  @Override
  public boolean release(Release release) {
    return db.inTransaction("releasing a task", c -> writes.release(c, release));
  }

  @Override
  public int reclaimExpired(ReclaimRequest request) {
    return db.inTransaction("recovering expired leases", c -> writes.reclaimExpired(c, request));
  }

  @Override
  public Optional<TaskRecord> cancel(CancelCommand command) {
    return db.inTransaction(
        "cancelling task " + command.taskId(),
        c -> writes.cancel(c, command) ? queries.find(c, command.taskId()) : Optional.empty());
  }

  @Override
  public List<TaskEvent> eventsAfter(long afterSeq, int limit) {
    return events.after(afterSeq, limit);
  }

  @Override
  public long lastEventSeq() {
    return events.lastSeq();
  }

  @Override
  public int prepareWebhookDeliveries(Instant now, int limit) {
    return webhooks.prepare(now, limit);
  }

  @Override
  public List<WebhookDelivery> claimWebhookDeliveries(WebhookClaim claim) {
    return webhooks.claim(claim);
  }

  @Override
  public boolean recordWebhookOutcome(WebhookOutcome outcome) {
    return webhooks.record(outcome);
  }

  @Override
  public void clearGoneWebhookUrl(String organizationId, String url) {
    webhooks.clearGone(organizationId, url);
  }

  @Override
  public List<WebhookDelivery> webhookDeliveries(UUID taskId) {
    return webhooks.ofTask(taskId);
  }

  @Override
  public Schedule insertSchedule(Schedule schedule) {
    return schedules.insert(schedule);
  }

  @Override
  public Optional<Schedule> findSchedule(UUID id) {
    return schedules.find(id);
  }

  @Override
  public List<Schedule> listSchedules(String organizationId, int offset, int limit) {
    return schedules.list(organizationId, offset, limit);
  }

  @Override
  public List<Schedule> dueSchedules(Instant now, int limit) {
    return schedules.due(now, limit);
  }

  @Override
  public void holdSchedule(UUID id, Instant until) {
    schedules.hold(id, until);
  }

  @Override
  public boolean advanceSchedule(
      UUID id, Instant expectedNext, Instant next, Instant lastFire, UUID lastTask, Instant at) {
    return schedules.advance(id, expectedNext, next, lastFire, lastTask, at);
  }

  @Override
  public Optional<Schedule> setScheduleStatus(
      UUID id, ScheduleStatus status, Instant next, Instant at) {
    return schedules.setStatus(id, status, next, at);
  }

  /**
   * Forces the H2 file to disk after a durable write, when asked to at build time. The write has
   * committed already, so a failed sync is logged, not thrown: throwing would tell the caller that
   * a committed write failed.
   */
  private void syncIfAsked(boolean wrote) {
    if (syncOnCommit && wrote) {
      try {
        db.inTransaction(
            "syncing to disk",
            c -> {
              try (Statement s = c.createStatement()) {
                s.execute("CHECKPOINT SYNC");
              }
              return null;
            });
      } catch (StoreException e) {
        log.warn("forcing the database file to disk failed after a committed write", e);
      }
    }
  }

  /** The store's transactions, for tests in this package. */
  Db db() {
    return db;
  }

  /** Closes the connection pool if the store created it; a host's data source is left open. */
  @Override
  public void close() {
    if (ownedPool != null) {
      try {
        ownedPool.close();
      } catch (Exception e) {
        throw new StoreException("closing the connection pool failed", e);
      }
    }
  }

  /** Configures a {@link JdbcTaskStore}; every setter checks its value at once. */
  public static final class Builder {
    private final DataSource dataSource;
    private final HikariConfig poolConfig;
    private Dialect dialect;
    private String tablePrefix = DEFAULT_TABLE_PREFIX;
    private SchemaMode schemaMode = SchemaMode.MIGRATE;
    private boolean syncOnCommit;
    private TransactionTimeouts timeouts =
        new TransactionTimeouts(
            DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT, DEFAULT_LOCK_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT);
    private AutoCloseable ownedPool;
    private boolean boundsPerSession;

    private Builder(DataSource dataSource, HikariConfig poolConfig) {
      this.dataSource = dataSource;
      this.poolConfig = poolConfig;
    }

    /** The database's dialect; by default read from the connection's metadata. */
    public Builder dialect(Dialect dialect) {
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    /**
     * The prefix of the store's table names, default {@value #DEFAULT_TABLE_PREFIX}, so several
     * stores or applications can share a schema.
     *
     * @throws IllegalArgumentException if it does not match {@link #TABLE_PREFIX_PATTERN}
     */
    public Builder tablePrefix(String tablePrefix) {
      Objects.requireNonNull(tablePrefix, "tablePrefix");
      if (!TABLE_PREFIX_PATTERN.matcher(tablePrefix).matches()) {
        throw new IllegalArgumentException(
            "tablePrefix must match " + TABLE_PREFIX_PATTERN + ", was '" + tablePrefix + "'");
      }
      this.tablePrefix = tablePrefix;
      return this;
    }

    /** Whether the store migrates the schema at start (default) or only validates it. */
    public Builder schemaMode(SchemaMode schemaMode) {
      this.schemaMode = Objects.requireNonNull(schemaMode, "schemaMode");
      return this;
    }

    /**
     * H2 only: after each checkpoint and completion, force the database file to disk ({@code
     * CHECKPOINT SYNC}), for hosts that must survive power loss, at the cost of a disk flush per
     * write. Off by default: commits then survive a killed process but not a lost machine.
     */
    public Builder syncOnCommit(boolean syncOnCommit) {
      this.syncOnCommit = syncOnCommit;
      return this;
    }

    /**
     * PostgreSQL: the bounds every transaction of the store runs under: set on each connection of
     * the pool the store opens (through the driver's {@code options}), or, on a host's data source
     * or a URL that sets {@code options} itself, at the start of each transaction only ({@code
     * set_config(.., true)}), so that a host's own sessions are left as they are. {@code
     * idleInTransaction} (PostgreSQL's {@code idle_in_transaction_session_timeout}, default 10 s)
     * ends the session of a transaction left idle, as by a process paused or cut off in the middle
     * of it, so that its row locks never hold back the recovery of its tasks for longer; keep it
     * below the engines' lease duration. {@code lock} (default 10 s) bounds a statement's wait for
     * a lock, and {@code statement} (default 60 s) a statement's run. Schema migrations are not
     * bounded by the last two. Ignored for H2, whose file one process owns.
     *
     * @throws IllegalArgumentException if a duration is not at least one millisecond
     */
    public Builder transactionTimeouts(
        Duration idleInTransaction, Duration lock, Duration statement) {
      this.timeouts = new TransactionTimeouts(idleInTransaction, lock, statement);
      return this;
    }

    /**
     * Opens the store: creates the pool if the store owns one, detects the dialect, and migrates or
     * validates the schema.
     *
     * @throws IllegalStateException if syncOnCommit is set for a database other than H2
     * @throws StoreException if the database cannot be reached, or the schema is not as needed
     */
    public JdbcTaskStore build() {
      DataSource source = dataSource == null ? openPool() : dataSource;
      try {
        Dialect resolved = dialect != null ? dialect : OwnedPool.detect(source);
        if (syncOnCommit && resolved != Dialect.H2) {
          throw new IllegalStateException(
              "syncOnCommit applies to H2 only; PostgreSQL commits are durable already");
        }
        JdbcTaskStore store = new JdbcTaskStore(this, source, resolved);
        SchemaMigrator migrator = new SchemaMigrator(store.db, tablePrefix);
        if (schemaMode == SchemaMode.MIGRATE) {
          migrator.migrate();
        } else {
          migrator.validate();
        }
        return store;
      } catch (RuntimeException e) {
        closeQuietly(e);
        throw e;
      }
    }

    private DataSource openPool() {
      boundsPerSession = OwnedPool.boundEachSession(poolConfig, timeouts);
      HikariDataSource pool = OwnedPool.open(poolConfig);
      ownedPool = pool;
      return pool;
    }

    private void closeQuietly(RuntimeException cause) {
      if (ownedPool != null) {
        try {
          ownedPool.close();
        } catch (Exception e) {
          cause.addSuppressed(e);
        }
      }
    }
  }
}
