package dev.errand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.errand.TaskEvent;
import dev.errand.TaskEventType;
import dev.errand.TaskStatus;
import dev.errand.spi.TaskRecord;
import dev.errand.spi.TaskStore;
import dev.errand.store.jdbc.ChaosJournal.Entry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** What a chaos run must never show, read from the nodes' journals and the store. */
final class ChaosCheck {
  /** A node stopped with SIGSTOP at {@code stopped} and let go on at {@code resumed}. */
  record Pause(String node, long stopped, long resumed) {}

  private final List<Entry> journal;
  private final TaskStore store;

  ChaosCheck(List<Entry> journal, TaskStore store) {
    this.journal = journal;
    this.store = store;
  }

  /** Every acknowledged task is stored and COMPLETED: none lost, none failed by the kills. */
  void everyAcknowledgedTaskCompleted(Collection<UUID> acknowledged) {
    for (UUID id : acknowledged) {
      TaskRecord task = store.find(id).orElseThrow(() -> new AssertionError("lost: " + id));
      assertThat(task.status())
          .as("task %s (%s)", id, task.errorMessage())
          .isEqualTo(TaskStatus.COMPLETED);
    }
  }

  /** One completion per task, and no event after a task's final one. */
  void noTaskCompletedTwiceNorChangedAfterItsEnd() {
    Map<UUID, List<TaskEvent>> byTask = new HashMap<>();
    long after = 0;
    List<TaskEvent> page;
    do {
      page = store.eventsAfter(after, 1000);
      for (TaskEvent e : page) {
        byTask.computeIfAbsent(e.taskId(), k -> new ArrayList<>()).add(e);
        after = e.seq();
      }
    } while (!page.isEmpty());
    byTask.forEach(
        (task, events) -> {
          List<TaskEventType> types = events.stream().map(TaskEvent::type).toList();
          assertThat(types).as("events of %s", task).containsOnlyOnce(TaskEventType.TASK_COMPLETED);
          assertThat(types.get(types.size() - 1))
              .as("nothing after the end of %s: %s", task, types)
              .isEqualTo(TaskEventType.TASK_COMPLETED);
        });
  }

  /**
   * A step body starts again only if no checkpoint of that step had been accepted before it
   * started: a completed step is never run again.
   *
   * @return how many step bodies ran more than once (each where its checkpoint did not commit)
   */
  int noCompletedStepRanAgain() {
    Map<String, List<Entry>> accepted =
        by(
            kind("write").filter(e -> e.what().startsWith("checkpoint:") && e.ok()),
            e -> e.task() + " " + e.what().substring("checkpoint:".length()));
    Map<String, List<Entry>> bodies = by(kind("body"), e -> e.task() + " " + e.what());
    int repeated = 0;
    for (var step : bodies.entrySet()) {
      List<Entry> commits = accepted.getOrDefault(step.getKey(), List.of());
      assertThat(commits)
          .as("accepted checkpoints of %s", step.getKey())
          .hasSizeLessThanOrEqualTo(1);
      for (Entry commit : commits) {
        assertThat(step.getValue())
            .as("bodies of %s started after its checkpoint committed", step.getKey())
            .noneMatch(body -> body.t0() > commit.t1());
      }
      repeated += step.getValue().size() - 1;
    }
    return repeated;
  }

  /**
   * After a pause past the lease, the paused node started no step body under a lease it held before
   * the pause, and none of its writes under such a lease was accepted once another node had taken
   * the task over.
   *
   * @return the number of the node's runs that held a lease at the pause
   */
  int pausedNodeStartedAndWroteNothingAfterTakeover(Pause pause) {
    Set<String> before =
        kind("claim")
            .filter(e -> e.node().equals(pause.node()) && e.t0() < pause.stopped())
            .map(e -> e.task() + "/" + e.fence())
            .collect(Collectors.toSet());
    List<Entry> bodies =
        kind("body")
            .filter(e -> e.node().equals(pause.node()) && e.t0() > pause.resumed())
            .filter(e -> before.contains(e.task() + "/" + e.fence()))
            .toList();
    assertThat(bodies).as("step bodies started by %s after its pause", pause.node()).isEmpty();
    List<Entry> writes =
        kind("write")
            .filter(e -> e.node().equals(pause.node()) && e.ok() && e.t0() > pause.resumed())
            .filter(e -> before.contains(e.task() + "/" + e.fence()))
            .filter(this::takenOverBefore)
            .toList();
    assertThat(writes).as("writes accepted from %s after a takeover", pause.node()).isEmpty();
    return before.size();
  }

  private boolean takenOverBefore(Entry write) {
    return kind("claim")
        .anyMatch(
            c -> c.task().equals(write.task()) && c.fence() > write.fence() && c.t1() < write.t0());
  }

  /**
   * Nanoseconds from {@code since} to the first claim of the task by another node than {@code
   * holder}.
   */
  long recoveredAfter(UUID task, String holder, long since) {
    return kind("claim")
        .filter(e -> e.task().equals(task) && !e.node().equals(holder) && e.t1() > since)
        .mapToLong(e -> e.t1() - since)
        .min()
        .orElseThrow(() -> new AssertionError("task " + task + " was never recovered"));
  }

  private java.util.stream.Stream<Entry> kind(String kind) {
    return journal.stream().filter(e -> e.kind().equals(kind));
  }

  private static Map<String, List<Entry>> by(
      java.util.stream.Stream<Entry> entries, java.util.function.Function<Entry, String> key) {
    return entries.collect(Collectors.groupingBy(key));
  }
}
