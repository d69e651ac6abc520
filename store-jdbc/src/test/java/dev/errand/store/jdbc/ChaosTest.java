package dev.errand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.agent.AgentResult;
import dev.errand.spi.TaskRecord;
import dev.errand.store.jdbc.ChaosCheck.Pause;
import dev.errand.store.jdbc.ChaosJournal.Entry;
import dev.errand.testkit.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real engine processes killed with SIGKILL and paused with SIGSTOP while they run tasks of five
 * checkpointed steps: three nodes on one embedded PostgreSQL, and one node on an H2 file, killed
 * and restarted. Each run is bounded (about a minute on PostgreSQL, half a minute on H2, two
 * minutes at most each); what must hold is checked by {@link ChaosCheck} from the nodes' journals
 * and the store.
 */
class ChaosTest {
  private static final int POSTGRES_TASKS = 400;
  private static final int H2_TASKS = 120;
  private static final Duration FINISH = Duration.ofMinutes(2);

  /** The bound on recovering the task whose row a paused node holds locked, past its lease. */
  static final Duration RECOVERY_BOUND = Duration.ofSeconds(4);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run keeps the nodes' logs and journals
  Path dir;

  private final List<ChildProcess> children = new ArrayList<>();
  private int started;

  private ChildProcess node(String name, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("node=" + name);
    all.add("journal=" + dir.resolve(name + ".journal"));
    ChildProcess child =
        ChildProcess.start(
            ChaosNode.class,
            dir.resolve(name + "-" + started++ + ".log"),
            all.toArray(String[]::new));
    children.add(child);
    return child;
  }

  private List<Entry> journal() throws Exception {
    return ChaosJournal.readAll(dir);
  }

  private long bodiesBy(String node) throws Exception {
    return journal().stream().filter(e -> e.kind().equals("body") && e.node().equals(node)).count();
  }

  /** Waits until the node has started {@code more} step bodies beyond {@code from}. */
  private void awaitBodies(String node, long from, int more) {
    await().atMost(Duration.ofSeconds(60)).until(() -> bodiesBy(node) >= from + more);
  }

  @Test
  void threeNodesOnPostgresqlKilledAndPaused() throws Exception {
    String url = TestPostgres.url();
    String prefix = TestPostgres.freshPrefix();
    try (JdbcTaskStore store =
            JdbcTaskStore.builder(url, "postgres", "postgres").tablePrefix(prefix).build();
        TaskEngine submitter =
            TaskEngine.builder()
                .store(store)
                .agent(ChaosNode.TYPE, ctx -> AgentResult.completed(Map.of()))
                .build()) {
      List<UUID> acknowledged = new ArrayList<>();
      for (int i = 0; i < POSTGRES_TASKS; i++) {
        acknowledged.add(submitter.submit(TaskRequest.builder(ChaosNode.TYPE).build()).id());
      }
      String[] db = {"jdbc=" + url, "prefix=" + prefix};
      ChildProcess holder = node("C", concat(db, "hold=true"));
      ChildProcess a = node("A1", db);
      ChildProcess b = node("B1", db);

      // C stops inside a transaction that holds a task's row lock
      String held = holder.awaitLineContaining("holding ");
      UUID heldTask = UUID.fromString(held.substring("holding ".length()));
      holder.pause();
      long stopped = System.nanoTime();
      await("another node claims the task whose row the stopped node holds locked")
          .atMost(ChaosNode.LEASE.plus(RECOVERY_BOUND).plusSeconds(5))
          .until(() -> recovered(heldTask, "C", stopped));
      holder.resume();
      long resumed = System.nanoTime();
      holder.writeLine("go");
      Pause lockPause = new Pause("C", stopped, resumed);

      // kills: A and B in turn, each once it has run a few more steps, then restarted
      String aName = "A1";
      String bName = "B1";
      for (int kill = 2; kill <= 4; kill++) {
        awaitBodies(aName, bodiesBy(aName), 3 + ThreadLocalRandom.current().nextInt(8));
        a.kill();
        aName = "A" + kill;
        a = node(aName, db);
        awaitBodies(bName, bodiesBy(bName), 3 + ThreadLocalRandom.current().nextInt(8));
        b.kill();
        bName = "B" + kill;
        b = node(bName, db);
      }

      // B stops at an arbitrary point, past its lease, while it runs tasks
      awaitBodies(bName, bodiesBy(bName), 1 + ThreadLocalRandom.current().nextInt(10));
      b.pause();
      long bStopped = System.nanoTime();
      String paused = bName;
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  System.nanoTime() - bStopped > ChaosNode.LEASE.plusSeconds(2).toNanos()
                      && takenOver(paused, bStopped));
      b.resume();
      Pause arbitrary = new Pause(bName, bStopped, System.nanoTime());

      await()
          .atMost(FINISH)
          .until(() -> acknowledged.stream().allMatch(id -> isFinal(store.find(id).orElseThrow())));
      killAll();

      ChaosCheck check = new ChaosCheck(journal(), store);
      check.everyAcknowledgedTaskCompleted(acknowledged);
      check.noTaskCompletedTwiceNorChangedAfterItsEnd();
      int repeated = check.noCompletedStepRanAgain();
      int heldLeases = check.pausedNodeStartedAndWroteNothingAfterTakeover(lockPause);
      int bLeases = check.pausedNodeStartedAndWroteNothingAfterTakeover(arbitrary);
      long recovery = check.recoveredAfter(heldTask, "C", stopped);
      assertThat(Duration.ofNanos(recovery))
          .as(
              "the task whose row the paused node locked is recovered within lease + %s",
              RECOVERY_BOUND)
          .isLessThan(ChaosNode.LEASE.plus(RECOVERY_BOUND));
      assertHeldWriteRefused(heldTask, stopped, resumed);
      System.out.printf(
          "chaos postgresql: %d tasks, 6 kills, 2 pauses; %d step bodies repeated (each where its"
              + " checkpoint had not committed); held row recovered %d ms after the pause; paused"
              + " nodes had claimed %d and %d tasks before they stopped and started or wrote nothing under"
              + " those leases after a takeover%n",
          acknowledged.size(), repeated, recovery / 1_000_000, heldLeases, bLeases);
    }
  }

  @Test
  void oneNodeOnAnH2FileKilledAndRestarted() throws Exception {
    String url = JdbcTaskStore.h2FileUrl(dir.resolve("db"));
    String[] args = {"jdbc=" + url, "submit=" + H2_TASKS};
    List<UUID> acknowledged = new ArrayList<>();
    ChildProcess n = null;
    for (int run = 1; run <= 6; run++) {
      n = node("H" + run, args);
      readAcks(n, acknowledged, run == 1);
      if (run < 6) {
        awaitBodies("H" + run, 0, 5 + ThreadLocalRandom.current().nextInt(20));
        n.kill();
      }
    }
    n.awaitLine("final");
    n.kill();
    try (JdbcTaskStore store = JdbcTaskStore.h2File(dir.resolve("db"))) {
      ChaosCheck check = new ChaosCheck(journal(), store);
      check.everyAcknowledgedTaskCompleted(acknowledged);
      check.noTaskCompletedTwiceNorChangedAfterItsEnd();
      int repeated = check.noCompletedStepRanAgain();
      System.out.printf(
          "chaos h2: %d tasks, 5 kills; %d step bodies repeated (each where its checkpoint had not"
              + " committed)%n",
          acknowledged.size(), repeated);
    }
  }

  private static void readAcks(ChildProcess n, List<UUID> acknowledged, boolean first)
      throws Exception {
    for (int i = 0; i < H2_TASKS; i++) {
      String line = n.awaitLineContaining("ack ");
      UUID id = UUID.fromString(line.substring(4));
      if (first) {
        acknowledged.add(id);
      } else {
        assertThat(acknowledged).as("the same keys name the same tasks").contains(id);
      }
    }
    n.awaitLine("ready");
  }

  private boolean recovered(UUID task, String holder, long since) throws Exception {
    return journal().stream()
        .anyMatch(
            e ->
                e.kind().equals("claim")
                    && e.task().equals(task)
                    && !e.node().equals(holder)
                    && e.t1() > since);
  }

  /** Whether another node has claimed a task the paused node held when it stopped. */
  private boolean takenOver(String node, long since) throws Exception {
    List<Entry> all = journal();
    return all.stream()
        .filter(e -> e.kind().equals("claim") && e.node().equals(node) && e.t0() < since)
        .anyMatch(
            held ->
                all.stream()
                    .anyMatch(
                        e ->
                            e.kind().equals("claim")
                                && e.task().equals(held.task())
                                && e.fence() > held.fence()));
  }

  /** The held progress write, started before the pause and ended after it, was refused. */
  private void assertHeldWriteRefused(UUID task, long stopped, long resumed) throws Exception {
    assertThat(journal())
        .filteredOn(e -> e.kind().equals("write") && e.node().equals("C") && e.task().equals(task))
        .filteredOn(e -> e.t0() < stopped && e.t1() > resumed)
        .as("the progress write held open across the pause")
        .singleElement()
        .matches(e -> !e.ok(), "refused");
  }

  private static boolean isFinal(TaskRecord task) {
    return task.status().isFinal();
  }

  private static String[] concat(String[] a, String... b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }

  /** Kills every node still running, whatever the outcome of the test. */
  @AfterEach
  void killAll() throws Exception {
    for (ChildProcess child : children) {
      child.close(); // SIGKILL, which ends a stopped process too
    }
    children.clear();
  }
}
