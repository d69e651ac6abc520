package dev.errand.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.errand.CapacityExceededException;
import dev.errand.InvalidField;
import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskEvent;
import dev.errand.TaskEventType;
import dev.errand.TaskQuery;
import dev.errand.TaskRequest;
import dev.errand.TaskStatus;
import dev.errand.TaskValidationException;
import dev.errand.agent.AgentResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Engine scenarios of {@link TaskEngine#submitAll}: checked whole before anything is stored,
 * idempotency keys honoured per task, events in list order, and the tasks run. A store's test
 * extends this class and returns a fresh store from {@link #newStore()}.
 */
public abstract class TaskEngineSubmitAllScenarioTest extends EngineScenarioSupport {

  @Test
  void badRequestsAreNamedByIndexAndFieldAndNothingIsStored() {
    TaskEngine engine = engine(new ManualTimer(clock), ctx -> AgentResult.completed(null));
    List<TaskRequest> requests =
        Arrays.asList(
            TaskRequest.builder(TYPE).build(),
            TaskRequest.builder(TYPE).priority(11).build(),
            null,
            TaskRequest.builder("no_such_type").maxAttempts(0).build());

    assertThatThrownBy(() -> engine.submitAll(requests))
        .isInstanceOfSatisfying(
            TaskValidationException.class,
            e ->
                assertThat(e.invalidFields())
                    .extracting(InvalidField::field)
                    .containsExactly(
                        "requests[1].priority",
                        "requests[2]",
                        "requests[3].taskType",
                        "requests[3].maxAttempts"));
    assertThat(engine.list(TaskQuery.builder().build()).totalCount()).isZero();
    assertThat(store.eventsAfter(0, 10)).isEmpty();
  }

  @Test
  void keysAreHonouredPerTaskAndEventsFollowTheList() {
    TaskEngine engine = engine(new ManualTimer(clock), ctx -> AgentResult.completed(null));
    Task earlier = engine.submit(TaskRequest.builder(TYPE).idempotencyKey("k1").build());
    List<TaskRequest> requests =
        List.of(
            TaskRequest.builder(TYPE).idempotencyKey("k1").build(),
            TaskRequest.builder(TYPE).priority(7).build(),
            TaskRequest.builder(TYPE).idempotencyKey("k2").build(),
            TaskRequest.builder(TYPE).idempotencyKey("k2").build(),
            TaskRequest.builder(TYPE).idempotencyKey("k1").organizationId("acme").build());

    List<Task> tasks = engine.submitAll(requests);

    assertThat(tasks).hasSize(5);
    assertThat(tasks.get(0).id()).isEqualTo(earlier.id());
    assertThat(tasks.get(1).priority()).isEqualTo(7);
    assertThat(tasks.get(3).id()).isEqualTo(tasks.get(2).id());
    assertThat(tasks.get(4).id()).isNotEqualTo(earlier.id());
    assertThat(tasks).extracting(Task::status).containsOnly(TaskStatus.PENDING);
    assertThat(engine.list(TaskQuery.builder().build()).totalCount()).isEqualTo(4);
    assertThat(store.eventsAfter(0, 10))
        .extracting(TaskEvent::taskId)
        .containsExactly(earlier.id(), tasks.get(1).id(), tasks.get(2).id(), tasks.get(4).id());
    assertThat(store.eventsAfter(0, 10))
        .extracting(TaskEvent::type)
        .containsOnly(TaskEventType.TASK_SUBMITTED);
  }

  @Test
  void theTasksRun() {
    ManualTimer timer = new ManualTimer(clock);
    List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
    TaskEngine engine =
        engine(
            timer,
            ctx -> {
              ran.add(ctx.input().get("n").asInt());
              return AgentResult.completed(null);
            });
    engine.start();
    List<Task> tasks =
        engine.submitAll(
            IntStream.range(0, 25)
                .mapToObj(n -> TaskRequest.builder(TYPE).input(Map.of("n", n)).build())
                .toList());
    for (Task task : tasks) {
      awaitStatus(timer, task.id(), TaskStatus.COMPLETED);
    }
    assertThat(ran).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 25).boxed().toList());
  }

  @Test
  void theMaximumOfPendingTasksCountsEveryTaskOfTheList() {
    TaskEngine engine =
        engine(
            new ManualTimer(clock), ctx -> AgentResult.completed(null), b -> b.maxPendingTasks(3));
    engine.submit(TaskRequest.builder(TYPE).build());
    List<TaskRequest> three = Collections.nCopies(3, TaskRequest.builder(TYPE).build());
    assertThatThrownBy(() -> engine.submitAll(three)).isInstanceOf(CapacityExceededException.class);
    assertThat(engine.submitAll(three.subList(0, 2))).hasSize(2);
    assertThat(engine.list(TaskQuery.builder().build()).totalCount()).isEqualTo(3);
  }

  @Test
  void anEmptyListStoresNothingAndTooLongAListIsRefused() {
    TaskEngine engine = engine(new ManualTimer(clock), ctx -> AgentResult.completed(null));
    assertThat(engine.submitAll(List.of())).isEmpty();
    List<TaskRequest> tooMany =
        Collections.nCopies(TaskEngine.MAX_SUBMIT_ALL + 1, TaskRequest.builder(TYPE).build());
    assertThatThrownBy(() -> engine.submitAll(tooMany))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("submitAll takes at most 100000 requests, was 100001");
  }
}
