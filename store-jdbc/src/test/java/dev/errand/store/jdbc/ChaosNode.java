package dev.errand.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.errand.TaskEngine;
import dev.errand.TaskQuery;
import dev.errand.TaskRequest;
import dev.errand.TaskStatus;
import dev.errand.agent.Agent;
import dev.errand.agent.AgentResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * One engine process of the chaos suite: {@value #STEPS} checkpointed steps per task, each body
 * journalled as it starts, on the database the arguments name. Arguments are {@code key=value}:
 * {@code jdbc}, {@code prefix} (PostgreSQL table prefix), {@code node}, {@code journal}, {@code
 * hold} (hold the first progress transaction, see {@link ChaosHoldingDataSource}) and {@code
 * submit} (submit that many tasks, with idempotency keys, and print {@code ack <id>} for each).
 * Prints {@code ready} once it runs, and {@code final} once every task in the store has ended.
 */
public final class ChaosNode {
  static final int STEPS = 5;
  static final String TYPE = "chaos";
  static final Duration LEASE = Duration.ofSeconds(4);
  static final Duration HEARTBEAT = Duration.ofSeconds(1);

  private ChaosNode() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (String a : argv) {
      args.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    String node = args.get("node");
    ChaosJournal journal = new ChaosJournal(Path.of(args.get("journal")), node);
    JdbcTaskStore store = store(args);
    TaskEngine engine =
        TaskEngine.builder()
            .store(new ChaosJournalingStore(store, journal))
            .closeStoreOnClose(true)
            .workerId(node)
            .agent(TYPE, agent(journal, node))
            .workers(4)
            .leaseDuration(LEASE)
            .heartbeatInterval(HEARTBEAT)
            .pollInterval(Duration.ofMillis(100))
            .build();
    int submit = Integer.parseInt(args.getOrDefault("submit", "0"));
    for (int i = 0; i < submit; i++) {
      var task = engine.submit(TaskRequest.builder(TYPE).idempotencyKey("chaos-" + i).build());
      System.out.println("ack " + task.id());
    }
    engine.start();
    System.out.println("ready");
    System.out.flush();
    awaitAllFinal(engine);
    System.out.println("final");
    System.out.flush();
    new CountDownLatch(1).await(); // the engine's threads are daemons; stay until killed
  }

  private static JdbcTaskStore store(Map<String, String> args) {
    String url = args.get("jdbc");
    if (url.startsWith("jdbc:h2:")) {
      return JdbcTaskStore.builder(url, "sa", "").build();
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("postgres");
    config.setPassword("postgres");
    config.setAutoCommit(false);
    config.setMaximumPoolSize(8);
    DataSource source = new HikariDataSource(config);
    if (Boolean.parseBoolean(args.getOrDefault("hold", "false"))) {
      source = ChaosHoldingDataSource.wrap(source);
    }
    return JdbcTaskStore.builder(source)
        .tablePrefix(args.get("prefix"))
        .transactionTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(30))
        .build();
  }

  /**
   * Steps s1..s5; each body journals its start, then waits 50-150 ms (as an agent waits for a model
   * or a tool), and each step is followed by a progress report.
   */
  private static Agent agent(ChaosJournal journal, String node) {
    return ctx -> {
      for (int i = 1; i <= STEPS; i++) {
        String step = "s" + i;
        ctx.step(
            step,
            String.class,
            () -> {
              journal.add("body", ctx.taskId(), ctx.fence(), step + "#1", true, System.nanoTime());
              Thread.sleep(ThreadLocalRandom.current().nextLong(50, 150));
              return step + "@" + node + "/" + ctx.fence();
            });
        ctx.progress(i * 100 / STEPS, step);
      }
      return AgentResult.completed(Map.of("node", node));
    };
  }

  /** Returns once no task is pending or running, checked at each event that ends a task. */
  private static void awaitAllFinal(TaskEngine engine) throws InterruptedException {
    TaskQuery open =
        TaskQuery.builder()
            .statuses(EnumSet.of(TaskStatus.PENDING, TaskStatus.RUNNING))
            .limit(1)
            .build();
    CountDownLatch allFinal = new CountDownLatch(1);
    engine.addListener(
        e -> {
          if (e.status().isFinal() && engine.list(open).totalCount() == 0) {
            allFinal.countDown();
          }
        });
    if (engine.list(open).totalCount() > 0) {
      allFinal.await();
    }
  }
}
