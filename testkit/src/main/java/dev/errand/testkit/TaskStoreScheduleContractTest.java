package dev.errand.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.errand.schedule.OverlapPolicy;
import dev.errand.schedule.Schedule;
import dev.errand.schedule.ScheduleStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The schedule part of the store contract: stored as given, once per organization and idempotency
 * key, listed per organization without the deleted, due in order, advanced by compare-and-set, a
 * deleted one staying deleted.
 */
public abstract class TaskStoreScheduleContractTest extends TaskStoreWebhookContractTest {
  private static Schedule schedule(String org, Instant next) {
    return schedule(org, null, next);
  }

  private static Schedule schedule(String org, String idempotencyKey, Instant next) {
    return new Schedule(
        UUID.randomUUID(),
        org,
        "user-1",
        idempotencyKey,
        TaskRecords.TYPE,
        5,
        "{\"n\":1}",
        "{\"team\":\"ops\"}",
        null,
        Duration.ofMinutes(10),
        3,
        "{\"cron\":\"0 9 * * *\",\"timezone\":\"UTC\"}",
        OverlapPolicy.QUEUE,
        2,
        ScheduleStatus.ACTIVE,
        next,
        null,
        null,
        T0,
        T0);
  }

  @Test
  void aScheduleIsStoredAsGivenAndListedForItsOrganization() {
    Schedule s = schedule("org-a", "weekly-report", T0.plusSeconds(60));
    store.insertSchedule(s);
    store.insertSchedule(schedule("org-b", T0.plusSeconds(60)));
    Schedule found = store.findSchedule(s.id()).orElseThrow();
    assertThat(found.withStatus(found.status(), found.nextFireAt(), found.updatedAt()))
        .usingRecursiveComparison()
        .ignoringFields("input", "metadata")
        .isEqualTo(s);
    assertThat(canonical(found.metadata())).isEqualTo("{\"team\":\"ops\"}");
    assertThat(store.listSchedules("org-a", 0, 10))
        .extracting(Schedule::id)
        .containsExactly(s.id());
    assertThat(store.findSchedule(UUID.randomUUID())).isEmpty();
  }

  @Test
  void aScheduleWithAKeyItsOrganizationHasUsedIsNotStoredAndTheFirstIsReturned() {
    Schedule first = schedule("org-a", "weekly-report", T0.plusSeconds(60));
    assertThat(store.insertSchedule(first)).isEqualTo(first);
    Schedule again = schedule("org-a", "weekly-report", T0.plusSeconds(60));
    Schedule answered = store.insertSchedule(again);
    assertThat(answered.id()).isEqualTo(first.id());
    assertThat(answered.idempotencyKey()).isEqualTo("weekly-report");
    assertThat(store.findSchedule(again.id())).isEmpty();

    Schedule otherOrganization = schedule("org-b", "weekly-report", T0.plusSeconds(60));
    assertThat(store.insertSchedule(otherOrganization).id()).isEqualTo(otherOrganization.id());
    Schedule unkeyed = schedule("org-a", T0.plusSeconds(60));
    assertThat(store.insertSchedule(unkeyed).id()).isEqualTo(unkeyed.id());
    assertThat(store.insertSchedule(schedule("org-a", T0.plusSeconds(60))).id())
        .isNotEqualTo(unkeyed.id());
    assertThat(store.listSchedules("org-a", 0, 10)).hasSize(3);

    store.setScheduleStatus(first.id(), ScheduleStatus.DELETED, first.nextFireAt(), T0);
    assertThat(store.insertSchedule(again).id()).as("a deleted one counts").isEqualTo(first.id());
  }

  @Test
  void dueSchedulesAreActiveOnesWhoseTimeHasComeEarliestFirst() {
    Schedule later = schedule("org-a", T0.plusSeconds(20));
    Schedule sooner = schedule("org-a", T0.plusSeconds(10));
    Schedule paused = schedule("org-a", T0.plusSeconds(5));
    store.insertSchedule(later);
    store.insertSchedule(sooner);
    store.insertSchedule(paused);
    store.setScheduleStatus(paused.id(), ScheduleStatus.PAUSED, paused.nextFireAt(), T0);
    assertThat(store.dueSchedules(T0.plusSeconds(30), 10))
        .extracting(Schedule::id)
        .containsExactly(sooner.id(), later.id());
    assertThat(store.dueSchedules(T0.plusSeconds(15), 10))
        .extracting(Schedule::id)
        .containsExactly(sooner.id());
  }

  @Test
  void aHeldScheduleIsNotDueUntilItsHoldEnds() {
    Schedule waiting = schedule("org-a", T0.plusSeconds(10));
    Schedule other = schedule("org-a", T0.plusSeconds(20));
    store.insertSchedule(waiting);
    store.insertSchedule(other);
    store.holdSchedule(waiting.id(), T0.plusSeconds(60));
    assertThat(store.dueSchedules(T0.plusSeconds(30), 1))
        .extracting(Schedule::id)
        .containsExactly(other.id());
    assertThat(store.dueSchedules(T0.plusSeconds(60), 10))
        .extracting(Schedule::id)
        .containsExactly(waiting.id(), other.id());
  }

  @Test
  void onlyTheFirstOfTwoAdvancesFromTheSameOccurrenceApplies() {
    Schedule s = schedule("org-a", T0.plusSeconds(60));
    store.insertSchedule(s);
    UUID task = UUID.randomUUID();
    Instant next = T0.plusSeconds(120);
    assertThat(store.advanceSchedule(s.id(), s.nextFireAt(), next, s.nextFireAt(), task, T0))
        .isTrue();
    assertThat(
            store.advanceSchedule(
                s.id(), s.nextFireAt(), T0.plusSeconds(999), s.nextFireAt(), UUID.randomUUID(), T0))
        .as("another engine, late")
        .isFalse();
    Schedule after = store.findSchedule(s.id()).orElseThrow();
    assertThat(after.nextFireAt()).isEqualTo(next);
    assertThat(after.lastTaskId()).isEqualTo(task);
    assertThat(after.lastFireAt()).isEqualTo(s.nextFireAt());
  }

  @Test
  void aDeletedScheduleStaysDeletedAndIsNotListed() {
    Schedule s = schedule("org-a", T0.plusSeconds(60));
    store.insertSchedule(s);
    assertThat(
            store
                .setScheduleStatus(s.id(), ScheduleStatus.DELETED, s.nextFireAt(), T0)
                .orElseThrow()
                .status())
        .isEqualTo(ScheduleStatus.DELETED);
    assertThat(
            store
                .setScheduleStatus(s.id(), ScheduleStatus.ACTIVE, s.nextFireAt(), T0)
                .orElseThrow()
                .status())
        .isEqualTo(ScheduleStatus.DELETED);
    assertThat(store.listSchedules("org-a", 0, 10)).isEmpty();
    assertThat(store.dueSchedules(T0.plusSeconds(3600), 10)).isEmpty();
    assertThat(store.advanceSchedule(s.id(), s.nextFireAt(), T0.plusSeconds(120), null, null, T0))
        .isFalse();
    assertThat(store.setScheduleStatus(UUID.randomUUID(), ScheduleStatus.PAUSED, T0, T0)).isEmpty();
  }
}
