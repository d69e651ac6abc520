package dev.errand;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class TaskStatusTest {
  @Test
  void finalStatusesAllowNoTransition() {
    for (TaskStatus s :
        EnumSet.of(
            TaskStatus.COMPLETED, TaskStatus.INCOMPLETE, TaskStatus.FAILED, TaskStatus.CANCELLED)) {
      assertThat(s.isFinal()).isTrue();
      assertThat(s.next()).isEmpty();
    }
  }

  @Test
  void pendingStartsOrIsCancelledAndRunningGoesAnywhereButBackToRunning() {
    assertThat(TaskStatus.PENDING.next())
        .containsExactlyInAnyOrder(TaskStatus.RUNNING, TaskStatus.CANCELLED);
    assertThat(TaskStatus.PENDING.canMoveTo(TaskStatus.COMPLETED)).isFalse();
    assertThat(TaskStatus.RUNNING.canMoveTo(TaskStatus.PENDING)).as("retry").isTrue();
    assertThat(TaskStatus.RUNNING.canMoveTo(TaskStatus.RUNNING)).isFalse();
    assertThat(TaskStatus.RUNNING.next()).hasSize(5);
  }

  @Test
  void eachFinalStatusHasItsEvent() {
    assertThat(TaskEventType.endedWith(TaskStatus.INCOMPLETE))
        .isEqualTo(TaskEventType.TASK_INCOMPLETE);
    assertThat(TaskEventType.TASK_RETRYING.wireName()).isEqualTo("task_retrying");
  }
}
