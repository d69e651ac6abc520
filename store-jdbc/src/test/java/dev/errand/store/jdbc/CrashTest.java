package dev.errand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskEngineBuilder;
import dev.errand.TaskEvent;
import dev.errand.TaskEventType;
import dev.errand.TaskQuery;
import dev.errand.TaskStatus;
import dev.errand.agent.Agent;
import dev.errand.agent.AgentResult;
import dev.errand.testkit.ChildProcess;
import dev.errand.testkit.ManualTimer;
import dev.errand.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child JVMs on the embedded H2 database, killed with SIGKILL. */
class CrashTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedSubmitSurvivesSigkill() throws Exception {
    List<UUID> acknowledged = new ArrayList<>();
    try (ChildProcess child =
        ChildProcess.start(SubmitterProcess.class, dir.resolve("child.log"), dir.toString())) {
      while (acknowledged.size() < 500) {
        acknowledged.add(UUID.fromString(child.readLine()));
      }
      child.kill(); // mid-stream: it was submitting as fast as it could
      String line;
      while ((line = child.readLine()) != null) {
        acknowledged.add(UUID.fromString(line));
      }
    }
    try (JdbcTaskStore store = JdbcTaskStore.h2File(dir)) {
      for (UUID id : acknowledged) {
        assertThat(store.find(id)).as("acknowledged task %s", id).isPresent();
      }
      long stored = store.list(TaskQuery.builder().limit(1).build()).totalCount();
      assertThat(stored).isBetween((long) acknowledged.size(), acknowledged.size() + 1L);
    }
  }

  @Test
  void taskKilledMidRunResumesAfterItsLastCheckpointedStep() throws Exception {
    Path side = dir.resolve("steps.txt");
    try (ChildProcess child =
        ChildProcess.start(
            StepRunnerProcess.class, dir.resolve("child.log"), dir.toString(), side.toString())) {
      child.awaitLine("after-s3");
      await().atMost(Duration.ofSeconds(10)).until(() -> lines(side).contains("s4"));
      child.kill();
    }

    MutableClock clock = MutableClock.at(Instant.now().plus(Duration.ofMinutes(1)));
    ManualTimer timer = new ManualTimer(clock);
    try (TaskEngine engine =
        afterTheKill(clock, timer, TaskEngineBuilder.DEFAULT_WORKERS, "steps", new StepsAgent())) {
      engine.start();
      Task task = engine.list(TaskQuery.builder().build()).tasks().get(0);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                timer.advance(Duration.ofSeconds(10));
                return engine.get(task.id()).status() == TaskStatus.COMPLETED;
              });
      Task done = engine.get(task.id());
      assertThat(done.attempt()).as("the killed run spent no attempt").isEqualTo(1);
      assertThat(done.leaseLosses()).isEqualTo(1);
      assertThat(done.result().get("steps").asInt()).isEqualTo(5);
    }
    Map<String, Long> runs =
        lines(side).stream()
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(runs)
        .as("steps completed before the kill ran once; the interrupted one ran again")
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("s1", 1L, "s2", 1L, "s3", 1L, "s4", 2L, "s5", 1L));
  }

  private static List<String> lines(Path file) throws Exception {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  @Test
  void noCompletionIsLostOrRepeatedWhenKilledWhileCompletionsAreWrittenInGroups() throws Exception {
    Set<UUID> acknowledged = new HashSet<>();
    try (ChildProcess child =
        ChildProcess.start(CompleterProcess.class, dir.resolve("child.log"), dir.toString())) {
      child.awaitLine("submitted");
      while (acknowledged.size() < 500) {
        acknowledged.add(completedId(child.readLine()));
      }
      child.kill(); // mid-stream: 16 workers were ending tasks as fast as they could
      String line;
      while ((line = child.readLine()) != null) {
        acknowledged.add(completedId(line));
      }
    }
    try (JdbcTaskStore store = JdbcTaskStore.h2File(dir)) {
      for (UUID id : acknowledged) {
        assertThat(store.find(id).orElseThrow().status())
            .as("acknowledged completion of %s", id)
            .isEqualTo(TaskStatus.COMPLETED);
      }
    }

    MutableClock clock = MutableClock.at(Instant.now().plus(Duration.ofMinutes(1)));
    ManualTimer timer = new ManualTimer(clock);
    try (TaskEngine engine =
        afterTheKill(clock, timer, 16, CompleterProcess.TYPE, ctx -> AgentResult.completed(null))) {
      engine.start();
      TaskQuery unfinished =
          TaskQuery.builder().statuses(Set.of(TaskStatus.PENDING, TaskStatus.RUNNING)).build();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                timer.advance(Duration.ofSeconds(10));
                return engine.list(unfinished).totalCount() == 0;
              });
      assertThat(engine.list(TaskQuery.builder().build()).totalCount())
          .isEqualTo(CompleterProcess.TASKS);
      Map<UUID, Long> completions = new HashMap<>();
      List<TaskEvent> events;
      long after = 0;
      while (!(events = engine.eventsAfter(after, 1000)).isEmpty()) {
        for (TaskEvent e : events) {
          if (e.type() == TaskEventType.TASK_COMPLETED) {
            completions.merge(e.taskId(), 1L, Long::sum);
          }
          after = e.seq();
        }
      }
      assertThat(completions).hasSize(CompleterProcess.TASKS);
      assertThat(completions.values()).as("no task completed twice").containsOnly(1L);
    }
  }

  /** An engine on the killed child's database, on the test's clock and timer. */
  private TaskEngine afterTheKill(
      MutableClock clock, ManualTimer timer, int workers, String type, Agent agent) {
    return TaskEngine.builder()
        .store(JdbcTaskStore.h2File(dir))
        .closeStoreOnClose(true)
        .clock(clock)
        .timer(timer)
        .workers(workers)
        .agent(type, agent)
        .build();
  }

  private static UUID completedId(String line) {
    assertThat(line).startsWith("completed ");
    return UUID.fromString(line.substring("completed ".length()));
  }
}
