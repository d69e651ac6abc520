package dev.errand.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskQuery;
import dev.errand.TaskRequest;
import dev.errand.TaskStatus;
import dev.errand.TaskValidationException;
import dev.errand.agent.Agent;
import dev.errand.agent.AgentResult;
import dev.errand.schedule.OverlapPolicy;
import dev.errand.schedule.Recurrence;
import dev.errand.schedule.Schedule;
import dev.errand.schedule.ScheduleRequest;
import dev.errand.schedule.ScheduleStatus;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Recurring schedules with a moved clock: the document's weekly Monday 09:00 New York schedule
 * across both daylight saving changes of a year, a cron schedule, overlap and catch-up policies,
 * pause, resume and delete, and three engines firing one schedule every second. A store's test
 * extends this class and returns a fresh store from {@link #newStore()}.
 */
public abstract class TaskEngineScheduleScenarioTest extends EngineScenarioSupport {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final Map<String, String> WEEKLY =
      Map.of(
          "frequency", "weekly",
          "day_of_week", "monday",
          "time", "09:00:00",
          "timezone", "America/New_York");

  private final ManualTimer timer = new ManualTimer(clock);

  private TaskEngine quickEngine() {
    return engine(timer, ctx -> AgentResult.completed(null));
  }

  private static TaskRequest template() {
    return TaskRequest.builder(TYPE)
        .input(Map.of("notification_type", "scheduled_report"))
        .metadata(Map.of("department", "finance"))
        .build();
  }

  /** Moves the clock to the schedule's next occurrence and waits until it has moved past it. */
  private Instant fireNext(TaskEngine engine, Schedule s) {
    Instant at = current(engine, s).nextFireAt();
    clock.set(at);
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(5))
        .until(
            () -> {
              timer.runDue();
              return current(engine, s).nextFireAt().isAfter(at);
            });
    return at;
  }

  /**
   * Fires the next occurrence and waits until its task has completed, before the clock moves on: a
   * clock moved by days under a running task would expire its lease.
   */
  private Instant fireAndComplete(TaskEngine engine, Schedule s) {
    Instant at = fireNext(engine, s);
    UUID task = current(engine, s).lastTaskId();
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(5))
        .until(
            () -> {
              timer.runDue();
              return engine.get(task).status() == TaskStatus.COMPLETED;
            });
    return at;
  }

  /** Runs due timed work until the condition holds, for at most {@link #WAIT}. */
  private void runDueUntil(java.util.function.BooleanSupplier condition) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              timer.runDue();
              return condition.getAsBoolean();
            });
  }

  /** The schedule as stored now. */
  private static Schedule current(TaskEngine engine, Schedule s) {
    return engine.findSchedule(s.id()).orElseThrow();
  }

  private List<Task> tasksOf(TaskEngine engine) {
    return engine.list(TaskQuery.builder().limit(100).build()).tasks();
  }

  private static List<String> scheduledFor(List<Task> tasks) {
    return tasks.stream().map(t -> t.metadata().path("scheduled_for").asText()).sorted().toList();
  }

  @Test
  void theWeeklyNewYorkScheduleFiresOnceAtEachMondayNineAcrossBothDaylightSavingChanges() {
    firesEveryMondayAtNineInNewYorkFor2026(WEEKLY);
  }

  @Test
  void theSameScheduleAsACronExpressionFiresAtTheSameInstants() {
    firesEveryMondayAtNineInNewYorkFor2026(
        Map.of("cron", "0 9 * * MON", "timezone", "America/New_York"));
  }

  private void firesEveryMondayAtNineInNewYorkFor2026(Map<String, String> recurrence) {
    clock.set(Instant.parse("2026-01-01T00:00:00Z"));
    TaskEngine engine = quickEngine();
    Schedule s = engine.createSchedule(ScheduleRequest.of(template(), recurrence));
    engine.start();
    List<Instant> fired = new ArrayList<>();
    while (fired.size() < 52) {
      fired.add(fireAndComplete(engine, s));
    }
    Recurrence expected = Recurrence.weekly(DayOfWeek.MONDAY, LocalTime.of(9, 0), NEW_YORK);
    List<Instant> expectedFires = new ArrayList<>();
    for (Instant t = expected.nextAfter(Instant.parse("2026-01-01T00:00:00Z"));
        expectedFires.size() < 52;
        t = expected.nextAfter(t)) {
      expectedFires.add(t);
    }
    assertThat(fired).isEqualTo(expectedFires);
    assertThat(fired)
        .contains(Instant.parse("2026-03-09T13:00:00Z"), Instant.parse("2026-11-02T14:00:00Z"));
    List<Task> tasks = new ArrayList<>();
    for (int offset = 0; offset < 52; offset += 50) {
      tasks.addAll(engine.list(TaskQuery.builder().limit(50).offset(offset).build()).tasks());
    }
    assertThat(tasks).hasSize(52);
    assertThat(scheduledFor(tasks))
        .isEqualTo(expectedFires.stream().map(Instant::toString).sorted().toList());
    assertThat(tasks)
        .allSatisfy(
            t -> {
              assertThat(t.metadata().path("schedule_id").asText()).isEqualTo(s.id().toString());
              assertThat(t.metadata().path("department").asText()).isEqualTo("finance");
            });
  }

  @Test
  void aCronScheduleFiresAtItsTimesAcrossTheSpringChange() {
    clock.set(Instant.parse("2026-03-06T00:00:00Z"));
    TaskEngine engine = quickEngine();
    Schedule s =
        engine.createSchedule(
            ScheduleRequest.of(
                template(), Map.of("cron", "30 2 * * *", "timezone", "America/New_York")));
    engine.start();
    List<Instant> fired = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      fired.add(fireAndComplete(engine, s));
    }
    assertThat(fired)
        .containsExactly(
            Instant.parse("2026-03-06T07:30:00Z"),
            Instant.parse("2026-03-07T07:30:00Z"),
            Instant.parse("2026-03-08T07:00:00Z"), // 02:30 skipped: 03:00 EDT
            Instant.parse("2026-03-09T06:30:00Z"));
    await().atMost(WAIT).until(() -> tasksOf(engine).size() == 4);
  }

  @Test
  void overlappingOccurrencesAreSkippedQueuedOrReplacedAsConfigured() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Agent slow =
        ctx -> {
          release.await();
          ctx.step("after", String.class, () -> "done");
          return AgentResult.completed(null);
        };
    clock.set(Instant.parse("2026-06-01T00:00:00Z"));
    // runs that outlast a day of moved time: neither their timeout nor their lease ends meanwhile
    TaskEngine engine = engine(timer, slow, b -> b.leaseDuration(Duration.ofDays(3)));
    TaskRequest template = TaskRequest.builder(TYPE).timeout(Duration.ofDays(3)).build();
    Map<String, String> daily = Map.of("frequency", "daily", "time", "09:00", "timezone", "UTC");
    Schedule skip =
        engine.createSchedule(new ScheduleRequest(template, daily, OverlapPolicy.SKIP, 1));
    Schedule queue =
        engine.createSchedule(new ScheduleRequest(template, daily, OverlapPolicy.QUEUE, 1));
    Schedule replace =
        engine.createSchedule(
            new ScheduleRequest(template, daily, OverlapPolicy.CANCEL_PREVIOUS, 1));
    engine.start();
    clock.set(Instant.parse("2026-06-01T09:00:00Z"));
    runDueUntil(
        () ->
            List.of(skip, queue, replace).stream()
                .map(x -> current(engine, x).lastTaskId())
                .allMatch(id -> id != null && engine.get(id).status() == TaskStatus.RUNNING));
    UUID skipFirst = current(engine, skip).lastTaskId();
    UUID queueFirst = current(engine, queue).lastTaskId();
    UUID replaceFirst = current(engine, replace).lastTaskId();

    clock.set(Instant.parse("2026-06-02T09:00:00Z")); // the first tasks are still running
    runDueUntil(
        () ->
            current(engine, skip).nextFireAt().equals(Instant.parse("2026-06-03T09:00:00Z"))
                && !current(engine, replace).lastTaskId().equals(replaceFirst));
    assertThat(current(engine, skip).lastTaskId()).as("skipped").isEqualTo(skipFirst);
    assertThat(engine.get(replaceFirst).cancelRequested())
        .as("the previous run is cancelled")
        .isTrue();
    Schedule waiting = current(engine, queue);
    assertThat(waiting.nextFireAt())
        .as("queued: still due")
        .isEqualTo(Instant.parse("2026-06-02T09:00:00Z"));
    assertThat(waiting.lastTaskId()).isEqualTo(queueFirst);

    release.countDown(); // the first runs end; at the next poll the queued occurrence fires
    await()
        .atMost(WAIT)
        .until(
            () -> {
              timer.advance(Duration.ofSeconds(1));
              return !current(engine, queue).lastTaskId().equals(queueFirst);
            });
    Task queued = engine.get(current(engine, queue).lastTaskId());
    assertThat(queued.metadata().path("scheduled_for").asText()).isEqualTo("2026-06-02T09:00:00Z");
  }

  @Test
  void afterDowntimeTheLatestMissedOccurrencesFireUpToTheCatchUpLimit() {
    clock.set(Instant.parse("2026-06-01T00:00:00Z"));
    TaskEngine engine = quickEngine();
    Map<String, String> daily = Map.of("frequency", "daily", "time", "09:00", "timezone", "UTC");
    Schedule once = engine.createSchedule(ScheduleRequest.of(template(), daily));
    Schedule three =
        engine.createSchedule(new ScheduleRequest(template(), daily, OverlapPolicy.QUEUE, 3));
    clock.set(Instant.parse("2026-06-06T12:00:00Z")); // six occurrences, 1 to 6 June, missed
    engine.start();
    runDueUntil(
        () ->
            current(engine, once).nextFireAt().equals(Instant.parse("2026-06-07T09:00:00Z"))
                && current(engine, three)
                    .nextFireAt()
                    .equals(Instant.parse("2026-06-07T09:00:00Z")));
    List<Task> tasks = tasksOf(engine);
    assertThat(
            scheduledFor(
                tasks.stream()
                    .filter(
                        t -> t.metadata().path("schedule_id").asText().equals(once.id().toString()))
                    .toList()))
        .containsExactly("2026-06-06T09:00:00Z");
    assertThat(
            scheduledFor(
                tasks.stream()
                    .filter(
                        t ->
                            t.metadata().path("schedule_id").asText().equals(three.id().toString()))
                    .toList()))
        .containsExactly("2026-06-04T09:00:00Z", "2026-06-05T09:00:00Z", "2026-06-06T09:00:00Z");
  }

  @Test
  void aPausedScheduleFiresNothingUntilResumedAndADeletedOneNeverAgain() {
    clock.set(Instant.parse("2026-06-01T00:00:00Z"));
    TaskEngine engine = quickEngine();
    Map<String, String> daily = Map.of("frequency", "daily", "time", "09:00", "timezone", "UTC");
    Schedule s = engine.createSchedule(ScheduleRequest.of(template(), daily));
    Schedule marker = engine.createSchedule(ScheduleRequest.of(template(), daily));
    engine.start();
    assertThat(engine.pauseSchedule(s.id()).status()).isEqualTo(ScheduleStatus.PAUSED);
    fireNext(engine, marker); // a pass has run at 1 June 09:00: the paused one did not fire
    assertThat(scheduledForOf(engine, s)).isEmpty();
    Schedule resumed = engine.resumeSchedule(s.id());
    assertThat(resumed.status()).isEqualTo(ScheduleStatus.ACTIVE);
    assertThat(resumed.nextFireAt())
        .as("from now on, nothing caught up")
        .isEqualTo(Instant.parse("2026-06-02T09:00:00Z"));
    fireNext(engine, s);
    assertThat(scheduledForOf(engine, s)).containsExactly("2026-06-02T09:00:00Z");
    engine.deleteSchedule(s.id());
    assertThat(engine.listSchedules(TaskRequest.DEFAULT_ORGANIZATION, 0, 10))
        .extracting(Schedule::id)
        .containsExactly(marker.id());
    fireNext(engine, marker); // 3 June: a pass has run again; the deleted one did not fire
    assertThat(current(engine, s).status()).isEqualTo(ScheduleStatus.DELETED);
    assertThatThrownBy(() -> engine.resumeSchedule(s.id())).hasMessageContaining("not found");
    assertThatThrownBy(() -> engine.deleteSchedule(s.id())).hasMessageContaining("not found");
    assertThat(scheduledForOf(engine, s)).containsExactly("2026-06-02T09:00:00Z");
  }

  @Test
  void aLongDowntimeCostsOnlyTheOccurrencesThatFire() {
    clock.set(Instant.parse("2026-06-01T00:00:00Z"));
    TaskEngine engine = quickEngine();
    Schedule s =
        engine.createSchedule(
            new ScheduleRequest(
                template(),
                Map.of("cron", "* * * * * *", "timezone", "UTC"),
                OverlapPolicy.SKIP,
                3));
    clock.set(Instant.parse("2026-07-01T00:00:00.5Z")); // 30 days, 2.6 million seconds, down
    engine.start();
    fireNextDue(engine, s);
    assertThat(scheduledForOf(engine, s))
        .containsExactly("2026-06-30T23:59:58Z", "2026-06-30T23:59:59Z", "2026-07-01T00:00:00Z");
  }

  /** Waits until a schedule due now has fired, without moving the clock. */
  private void fireNextDue(TaskEngine engine, Schedule s) {
    runDueUntil(() -> current(engine, s).nextFireAt().isAfter(clock.instant()));
  }

  private List<String> scheduledForOf(TaskEngine engine, Schedule s) {
    return scheduledFor(
        tasksOf(engine).stream()
            .filter(t -> t.metadata().path("schedule_id").asText().equals(s.id().toString()))
            .toList());
  }

  @Test
  void threeEnginesFiringAScheduleEverySecondForAMinuteCreateOneTaskPerOccurrence() {
    clock.set(Instant.parse("2026-06-01T00:00:00Z"));
    List<ManualTimer> timers =
        List.of(new ManualTimer(clock), new ManualTimer(clock), new ManualTimer(clock));
    List<TaskEngine> engines = new ArrayList<>();
    for (ManualTimer t : timers) {
      engines.add(engine(t, ctx -> AgentResult.completed(null)));
    }
    Schedule s =
        engines
            .get(0)
            .createSchedule(
                new ScheduleRequest(
                    template(),
                    Map.of("cron", "* * * * * *", "timezone", "UTC"),
                    OverlapPolicy.QUEUE,
                    1000));
    engines.forEach(TaskEngine::start);
    Instant end = Instant.parse("2026-06-01T00:01:00Z");
    while (clock.instant().isBefore(end)) {
      clock.advance(Duration.ofSeconds(1));
      timers.forEach(ManualTimer::runDue); // the three engines race for each occurrence
    }
    await() // time goes on until the minute's last occurrence has fired (a queued one fires late)
        .atMost(WAIT)
        .until(
            () -> {
              clock.advance(Duration.ofSeconds(1));
              timers.forEach(ManualTimer::runDue);
              return current(engines.get(0), s).nextFireAt().isAfter(end);
            });
    List<Task> tasks = new ArrayList<>();
    for (int offset = 0; ; offset += 100) {
      List<Task> page =
          engines.get(0).list(TaskQuery.builder().limit(100).offset(offset).build()).tasks();
      tasks.addAll(page);
      if (page.size() < 100) {
        break;
      }
    }
    assertThat(scheduledFor(tasks)).as("never twice").doesNotHaveDuplicates();
    assertThat(scheduledFor(tasks).stream().filter(t -> !Instant.parse(t).isAfter(end)))
        .as("one task for each second of the minute")
        .hasSize(60);
  }

  @Test
  void badSchedulesAreRefusedNamingTheField() {
    TaskEngine engine = quickEngine();
    Map<String, Map<String, String>> cases =
        Map.of(
            "schedule.day_of_week",
            Map.of(
                "frequency",
                "weekly",
                "day_of_week",
                "someday",
                "time",
                "09:00",
                "timezone",
                "UTC"),
            "schedule.time",
            Map.of("frequency", "daily", "time", "25:00", "timezone", "UTC"),
            "schedule.timezone",
            Map.of("frequency", "daily", "time", "09:00", "timezone", "Mars/Olympus"),
            "schedule.cron",
            Map.of("cron", "61 * * * *", "timezone", "UTC"));
    cases.forEach(
        (field, bad) ->
            assertThatThrownBy(() -> engine.createSchedule(ScheduleRequest.of(template(), bad)))
                .isInstanceOfSatisfying(
                    TaskValidationException.class,
                    e ->
                        assertThat(e.invalidFields())
                            .extracting(dev.errand.InvalidField::field)
                            .containsExactly(field)));
    assertThatThrownBy(
            () ->
                engine.createSchedule(
                    ScheduleRequest.of(
                        TaskRequest.builder(TYPE).delay(Duration.ofHours(1)).build(),
                        Map.of("frequency", "daily", "time", "09:00", "timezone", "UTC"))))
        .isInstanceOf(TaskValidationException.class)
        .hasMessageContaining("delay");
    assertThat(engine.listSchedules(TaskRequest.DEFAULT_ORGANIZATION, 0, 10)).isEmpty();
  }

  @Test
  void aRepeatedRequestWithTheSameKeyAnswersWithTheFirstSchedule() {
    TaskEngine engine = quickEngine();
    TaskRequest keyed = TaskRequest.builder(TYPE).idempotencyKey("weekly-report").build();
    Schedule first = engine.createSchedule(ScheduleRequest.of(keyed, WEEKLY));
    Schedule again = engine.createSchedule(ScheduleRequest.of(keyed, WEEKLY));
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(engine.listSchedules(TaskRequest.DEFAULT_ORGANIZATION, 0, 10)).hasSize(1);
  }

  /**
   * Issue 14: a keyed schedule's id was a name-based UUID of its organization and key, so anyone
   * knowing both knew the id. Now each organization's schedule gets a random time-ordered id, and a
   * repeated request still answers with its organization's first schedule.
   */
  @Test
  void keyedSchedulesGetIdsNotDerivedFromTheirOrganizationAndKey() {
    TaskEngine engine = quickEngine();
    List<UUID> ids = new ArrayList<>();
    for (String org : List.of("org-a", "org-b")) {
      TaskRequest keyed =
          TaskRequest.builder(TYPE).organizationId(org).idempotencyKey("weekly-report").build();
      Schedule first = engine.createSchedule(ScheduleRequest.of(keyed, WEEKLY));
      assertThat(first.id())
          .isNotEqualTo(derivedId(org, "weekly-report"))
          .satisfies(id -> assertThat(id.version()).isEqualTo(7));
      assertThat(engine.createSchedule(ScheduleRequest.of(keyed, WEEKLY)).id())
          .isEqualTo(first.id());
      assertThat(engine.listSchedules(org, 0, 10))
          .extracting(Schedule::id)
          .containsExactly(first.id());
      ids.add(first.id());
    }
    assertThat(ids).doesNotHaveDuplicates();
  }

  @Test
  void aKeyedScheduleStoredBeforeSchedulesKeptTheirKeyStillAnswersARepeatedRequest() {
    TaskEngine engine = quickEngine();
    Schedule made = engine.createSchedule(ScheduleRequest.of(template(), WEEKLY));
    UUID oldId = derivedId(made.organizationId(), "weekly-report");
    store.insertSchedule(
        new Schedule(
            oldId,
            made.organizationId(),
            made.ownerId(),
            null, // as stored before version 5 of the schema
            made.taskType(),
            made.priority(),
            made.input(),
            made.metadata(),
            made.webhookUrl(),
            made.timeout(),
            made.maxAttempts(),
            made.recurrence(),
            made.overlap(),
            made.catchUpLimit(),
            made.status(),
            made.nextFireAt(),
            null,
            null,
            made.createdAt(),
            made.updatedAt()));
    TaskRequest keyed = TaskRequest.builder(TYPE).idempotencyKey("weekly-report").build();
    assertThat(engine.createSchedule(ScheduleRequest.of(keyed, WEEKLY)).id()).isEqualTo(oldId);
    assertThat(engine.listSchedules(TaskRequest.DEFAULT_ORGANIZATION, 0, 10)).hasSize(2);
  }

  /** The id a keyed schedule got before issue 14, which such a schedule keeps. */
  private static UUID derivedId(String org, String key) {
    return UUID.nameUUIDFromBytes(
        ("schedule\n" + org + "\n" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
