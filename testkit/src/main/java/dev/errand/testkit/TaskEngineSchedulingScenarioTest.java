package dev.errand.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.errand.CapacityExceededException;
import dev.errand.InvalidField;
import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskEngineBuilder;
import dev.errand.TaskEvent;
import dev.errand.TaskEventType;
import dev.errand.TaskQuery;
import dev.errand.TaskRequest;
import dev.errand.TaskStatus;
import dev.errand.TaskValidationException;
import dev.errand.agent.AgentResult;
import dev.errand.webhook.WebhookSecret;
import dev.errand.webhook.WebhookSecrets;
import dev.errand.webhook.WebhookUrlPolicy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Engine scenarios of ordering, delays, idempotency, events, validation, shutdown and estimates,
 * with time moved by the test. A store's test extends this class and returns a fresh store from
 * {@link #newStore()}.
 */
public abstract class TaskEngineSchedulingScenarioTest extends EngineScenarioSupport {
  private static final UnaryOperator<TaskEngineBuilder> SIGNED =
      b -> b.webhookSecrets(WebhookSecrets.of(WebhookSecret.generate()));

  @Test
  void higherPriorityRunsFirst() {
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine =
        engine(
            timer,
            ctx -> {
              order.add(ctx.input().get("name").asText());
              return AgentResult.completed(null);
            },
            b -> b.workers(1));
    for (var p : Map.of("low", 1, "high", 10, "mid", 5).entrySet()) {
      engine.submit(
          TaskRequest.builder(TYPE)
              .input(Map.of("name", p.getKey()))
              .priority(p.getValue())
              .build());
    }
    engine.start();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              timer.runDue();
              return order.size() == 3;
            });
    assertThat(order).containsExactly("high", "mid", "low");
  }

  @Test
  void taskDoesNotStartBeforeItsRunAfter() {
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine = engine(timer, ctx -> AgentResult.completed(Map.of("ok", true)));
    Instant submitted = clock.instant();
    Task task = engine.submit(TaskRequest.builder(TYPE).delay(Duration.ofMinutes(10)).build());
    assertThat(task.runAfter()).isEqualTo(submitted.plus(Duration.ofMinutes(10)));
    engine.start();
    timer.advance(Duration.ofMinutes(9).plusSeconds(59));
    assertThat(engine.get(task.id()).status()).isEqualTo(TaskStatus.PENDING);
    timer.advance(Duration.ofSeconds(1));
    Task done = awaitStatus(timer, task.id(), TaskStatus.COMPLETED);
    assertThat(done.startedAt()).isEqualTo(submitted.plus(Duration.ofMinutes(10)));
  }

  @Test
  void sameIdempotencyKeyReturnsTheSameTask() {
    TaskEngine engine = engine(new ManualTimer(clock), ctx -> AgentResult.completed(null));
    TaskRequest request = TaskRequest.builder(TYPE).idempotencyKey("order-42").build();
    Task first = engine.submit(request);
    Task second = engine.submit(request);
    Task otherOrg =
        engine.submit(
            TaskRequest.builder(TYPE).idempotencyKey("order-42").organizationId("acme").build());
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(otherOrg.id()).isNotEqualTo(first.id());
    assertThat(engine.list(TaskQuery.builder().build()).totalCount()).isEqualTo(2);
  }

  @Test
  void submitsBeyondTheMaximumOfPendingTasksAreRefusedUntilSomeLeave() {
    TaskEngine engine =
        engine(
            new ManualTimer(clock), ctx -> AgentResult.completed(null), b -> b.maxPendingTasks(2));
    Task first = engine.submit(TaskRequest.builder(TYPE).build());
    engine.submit(TaskRequest.builder(TYPE).build());
    assertThatThrownBy(() -> engine.submit(TaskRequest.builder(TYPE).build()))
        .isInstanceOf(CapacityExceededException.class)
        .hasMessage("the engine already holds its maximum of 2 pending tasks; retry later");
    engine.cancel(first.id(), "make room", false);
    assertThatThrownBy(() -> engine.submit(TaskRequest.builder(TYPE).build()))
        .as("the count is at most a second old")
        .isInstanceOf(CapacityExceededException.class);
    clock.advance(Duration.ofSeconds(1));
    assertThat(engine.submit(TaskRequest.builder(TYPE).build()).status())
        .isEqualTo(TaskStatus.PENDING);
    assertThat(engine.list(TaskQuery.builder().build()).totalCount()).isEqualTo(3);
  }

  @Test
  void listenersReceiveEachTasksEventsInOrder() {
    List<TaskEvent> events = Collections.synchronizedList(new ArrayList<>());
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine =
        engine(
            timer,
            ctx -> {
              ctx.progress(50, "halfway");
              ctx.step("work", String.class, () -> "done");
              return AgentResult.completed(null);
            });
    engine.addListener(events::add);
    engine.start();
    Task one = engine.submit(TaskRequest.builder(TYPE).build());
    Task two = engine.submit(TaskRequest.builder(TYPE).build());
    awaitStatus(timer, one.id(), TaskStatus.COMPLETED);
    awaitStatus(timer, two.id(), TaskStatus.COMPLETED);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              timer.runDue();
              return events.size() == 8;
            });
    for (Task t : List.of(one, two)) {
      assertThat(events.stream().filter(e -> e.taskId().equals(t.id())).map(TaskEvent::type))
          .containsExactly(
              TaskEventType.TASK_SUBMITTED,
              TaskEventType.TASK_STARTED,
              TaskEventType.TASK_PROGRESS,
              TaskEventType.TASK_COMPLETED);
    }
    assertThat(events).extracting(TaskEvent::seq).isSorted();
  }

  @Test
  void badSubmitsAreRefusedNamingTheFieldAndTheRule() {
    TaskEngine engine =
        engine(
            new ManualTimer(clock),
            ctx -> AgentResult.completed(null),
            b -> SIGNED.apply(b.maxInputBytes(100)));
    assertRefused(engine, TaskRequest.builder(null), "taskType", "is required");
    assertRefused(
        engine,
        TaskRequest.builder("nope"),
        "taskType",
        "must name a task type with a registered agent");
    assertRefused(
        engine,
        TaskRequest.builder(TYPE).priority(0),
        "priority",
        "must be between 1 and 10, was 0");
    assertRefused(
        engine,
        TaskRequest.builder(TYPE).priority(11),
        "priority",
        "must be between 1 and 10, was 11");
    assertRefused(
        engine,
        TaskRequest.builder(TYPE).delay(Duration.ofSeconds(-1)),
        "delay",
        "must be between zero and PT87600H, was PT-1S");
    assertRefused(
        engine,
        TaskRequest.builder(TYPE).delay(ChronoUnit.FOREVER.getDuration()),
        "delay",
        "must be between zero and PT87600H");
    assertRefused(
        engine,
        TaskRequest.builder(TYPE).timeout(ChronoUnit.FOREVER.getDuration()),
        "timeout",
        "must be positive and at most PT87600H");
    assertRefused(
        engine,
        TaskRequest.builder(TYPE).timeout(Duration.ofSeconds(-5)),
        "timeout",
        "must be positive");
    assertRefused(
        engine,
        TaskRequest.builder(TYPE).input(Map.of("text", "x".repeat(200))),
        "input",
        "must be at most 100 bytes of JSON, was 211");
    assertRefused(
        engine,
        TaskRequest.builder(TYPE).metadata(List.of(1)),
        "metadata",
        "must be a JSON object");
    assertRefused(
        engine,
        TaskRequest.builder(TYPE).maxAttempts(0),
        "maxAttempts",
        "must be between 1 and 100");
    assertRefused(
        engine,
        TaskRequest.builder(TYPE).webhookUrl(URI.create("ftp://x")),
        "webhookUrl",
        "must be an https URL");
    assertThat(engine.list(TaskQuery.builder().build()).totalCount()).as("nothing stored").isZero();
  }

  @Test
  void valuesNoStoreCanHoldAreRefusedBeforeTheyReachIt() {
    TaskEngine engine = engine(new ManualTimer(clock), ctx -> AgentResult.completed(null), SIGNED);
    assertRefused(
        engine, TaskRequest.builder(TYPE).input(Map.of("text", "a\u0000b")), "input", "U+0000");
    assertRefused(
        engine, TaskRequest.builder(TYPE).metadata(Map.of("k\u0000", "v")), "metadata", "U+0000");
    assertRefused(engine, TaskRequest.builder(TYPE).model("m\u0000"), "model", "U+0000");
    assertRefused(
        engine,
        TaskRequest.builder(TYPE).webhookUrl(URI.create("https://x.io/" + "a".repeat(2100))),
        "webhookUrl",
        "at most 2048 characters");
    Task task = engine.submit(TaskRequest.builder(TYPE).input(Map.of("text", "\\u0000")).build());
    assertThatThrownBy(() -> engine.cancel(task.id(), "r".repeat(1001), false))
        .isInstanceOf(TaskValidationException.class)
        .hasMessageContaining("reason");
    assertThatThrownBy(() -> engine.cancel(task.id(), "a\u0000", false))
        .isInstanceOf(TaskValidationException.class)
        .hasMessageContaining("U+0000");
    assertThat(engine.get(task.id()).status()).isEqualTo(TaskStatus.PENDING);
  }

  @Test
  void webhookUrlsThatWouldReachTheServersOwnNetworkAreRefused() {
    TaskEngine engine = engine(new ManualTimer(clock), ctx -> AgentResult.completed(null), SIGNED);
    for (String url :
        new String[] {
          "https://127.0.0.1/h", "https://10.0.0.1/h", "https://169.254.169.254/latest/meta-data",
          "https://[::1]/h", "https://[::ffff:127.0.0.1]/h", "https://100.64.0.1/h"
        }) {
      assertRefused(
          engine,
          TaskRequest.builder(TYPE).webhookUrl(URI.create(url)),
          "webhookUrl",
          "must not reach a private, loopback, link-local or reserved address");
    }
    assertRefused(
        engine,
        TaskRequest.builder(TYPE).webhookUrl(URI.create("http://93.184.215.14/h")),
        "webhookUrl",
        "must be an https URL");
    assertRefused(
        engine,
        TaskRequest.builder(TYPE).webhookUrl(URI.create("https://u:p@93.184.215.14/h")),
        "webhookUrl",
        "must not carry a user name or password");
    assertThat(
            engine
                .submit(
                    TaskRequest.builder(TYPE)
                        .webhookUrl(URI.create("https://93.184.215.14/h"))
                        .build())
                .webhookUrl())
        .hasToString("https://93.184.215.14/h");
    TaskEngine lab =
        engine(
            new ManualTimer(clock),
            ctx -> AgentResult.completed(null),
            b ->
                SIGNED.apply(
                    b.webhookUrlPolicy(
                        WebhookUrlPolicy.defaults().allowingHttp().allowing("127.0.0.1/32"))));
    assertThat(
            lab.submit(
                TaskRequest.builder(TYPE).webhookUrl(URI.create("http://127.0.0.1:9/h")).build()))
        .isNotNull();
  }

  @Test
  void aWebhookUrlIsRefusedByAnEngineWithoutWebhookSecrets() {
    TaskEngine engine = engine(new ManualTimer(clock), ctx -> AgentResult.completed(null));
    assertRefused(
        engine,
        TaskRequest.builder(TYPE).webhookUrl(URI.create("https://93.184.215.14/h")),
        "webhookUrl",
        "webhooks are not set up on this engine (it has no webhook secrets)");
  }

  @Test
  void allBadFieldsAreNamedAtOnce() {
    TaskEngine engine = engine(new ManualTimer(clock), ctx -> AgentResult.completed(null));
    assertThatThrownBy(() -> engine.submit(TaskRequest.builder("nope").priority(0).build()))
        .isInstanceOfSatisfying(
            TaskValidationException.class,
            e ->
                assertThat(e.invalidFields())
                    .extracting(InvalidField::field)
                    .containsExactly("taskType", "priority"));
  }

  private static void assertRefused(
      TaskEngine engine, TaskRequest.Builder request, String field, String rule) {
    assertThatThrownBy(() -> engine.submit(request.build()))
        .isInstanceOfSatisfying(
            TaskValidationException.class,
            e -> {
              assertThat(e.invalidFields()).hasSize(1);
              assertThat(e.invalidFields().get(0).field()).isEqualTo(field);
              assertThat(e.invalidFields().get(0).rule()).contains(rule);
              assertThat(e.getMessage()).contains(field).contains(rule);
            });
  }

  @Test
  void closeGivesARunningTaskBackAndAnotherEngineResumesIt() throws Exception {
    CountDownLatch inStepB = new CountDownLatch(1);
    CountDownLatch finishB = new CountDownLatch(1);
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine first =
        engine(
            timer,
            ctx -> {
              ctx.step("a", Integer.class, () -> ran("a"));
              ctx.step(
                  "b",
                  Integer.class,
                  () -> {
                    inStepB.countDown();
                    finishB.await();
                    return ran("b");
                  });
              return AgentResult.completed(null);
            });
    Task task = startInStep(timer, first, TaskRequest.builder(TYPE).build(), inStepB);
    first.close(); // grace of 200 ms passes with step b still running

    Task givenBack = first.get(task.id());
    assertThat(givenBack.status()).isEqualTo(TaskStatus.PENDING);
    assertThat(givenBack.attempt()).as("a give-back does not use up an attempt").isZero();

    ManualTimer timer2 = new ManualTimer(clock);
    TaskEngine second =
        engine(
            timer2,
            ctx -> {
              ctx.step("a", Integer.class, () -> ran("a"));
              ctx.step("b", Integer.class, () -> ran("b"));
              return AgentResult.completed(null);
            });
    second.start();
    awaitStatus(timer2, task.id(), TaskStatus.COMPLETED);
    assertThat(runs("a")).isEqualTo(1);
    finishB.countDown();
  }

  @Test
  void estimatedCompletionFollowsPastDurationsOfTheType() {
    ManualTimer timer = new ManualTimer(clock);
    TaskEngine engine =
        engine(
            timer,
            ctx -> {
              clock.advance(Duration.ofMinutes(ctx.input().get("minutes").asInt()));
              return AgentResult.completed(null);
            },
            // a lease longer than the runs: the clock jumps while they run
            b ->
                b.workers(1)
                    .leaseDuration(Duration.ofHours(1))
                    .heartbeatInterval(Duration.ofMinutes(5)));
    engine.start();
    Consumer<Integer> runFor =
        minutes -> {
          Task t =
              engine.submit(TaskRequest.builder(TYPE).input(Map.of("minutes", minutes)).build());
          awaitStatus(timer, t.id(), TaskStatus.COMPLETED);
        };
    Task fresh =
        engine.submit(
            TaskRequest.builder(TYPE)
                .input(Map.of("minutes", 0))
                .delay(Duration.ofDays(1))
                .build());
    assertThat(engine.estimatedCompletion(fresh)).as("no history yet").isEmpty();
    clock.advance(Duration.ofMinutes(2)); // past the estimate's cache
    List.of(3, 4, 8).forEach(runFor);
    Task pending =
        engine.submit(
            TaskRequest.builder(TYPE)
                .input(Map.of("minutes", 1))
                .delay(Duration.ofHours(1))
                .build());
    assertThat(engine.estimatedCompletion(pending))
        .contains(pending.runAfter().plus(Duration.ofMinutes(4)));
  }
}
