package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Server-Sent Events over HTTP: the organization's events only, resumable with Last-Event-ID. */
class ServerSentEventsApiTest extends ApiTestSupport {
  @Override
  boolean startEngine() {
    return true;
  }

  private SseClient open(String path, String org, String lastEventId) throws Exception {
    return SseClient.open(http, server.uri(path), "Bearer " + org + ":jane", lastEventId);
  }

  private void awaitCompleted(String id) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> json(send("GET", "api/v1/tasks/" + id, "acme", null)).path("status").asText(),
            "completed"::equals);
  }

  @Test
  void anOrganizationsStreamCarriesItsEventsOnlyAndResumesWithoutLossOrRepeats() throws Exception {
    String first;
    String lastSeen;
    try (SseClient acme = open("api/v1/events", "acme", null)) {
      assertThat(acme.status()).isEqualTo(200);
      submit("globex");
      first = submit("acme");
      List<SseClient.Event> events = acme.until("task_completed");
      assertThat(events)
          .extracting(SseClient.Event::name)
          .containsExactly("task_submitted", "task_started", "task_completed");
      assertThat(events)
          .allSatisfy(e -> assertThat(e.data().path("task_id").asText()).isEqualTo(first));
      assertThat(events.get(2).data().path("status").asText()).isEqualTo("completed");
      lastSeen = events.get(2).id();
    }
    String second = submit("acme"); // while no stream is open
    awaitCompleted(second);
    try (SseClient resumed = open("api/v1/events", "acme", lastSeen)) {
      List<SseClient.Event> missed = resumed.until("task_completed");
      assertThat(missed).extracting(e -> e.data().path("task_id").asText()).containsOnly(second);
      assertThat(missed)
          .extracting(SseClient.Event::name)
          .containsExactly("task_submitted", "task_started", "task_completed");
    }
    try (SseClient other = open("api/v1/events", "globex", lastSeen)) {
      assertThat(other.status()).as("another organization's id").isEqualTo(400);
    }
  }

  @Test
  void anOrganizationsIdsRevealNothingOfAnothersEvents() throws Exception {
    List<String> ids = new java.util.ArrayList<>();
    try (SseClient acme = open("api/v1/events", "acme", null)) {
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 5 * round; i++) {
          submit("globex"); // 0, 5, then 10 events of another organization between acme's
        }
        String id = submit("acme");
        List<SseClient.Event> events = acme.until("task_completed");
        assertThat(events)
            .allSatisfy(e -> assertThat(e.data().path("task_id").asText()).isEqualTo(id));
        events.forEach(e -> ids.add(e.id()));
      }
    }
    // numbered ids would differ by one within a task and by the other's events between tasks
    assertThat(ids).hasSize(9).doesNotHaveDuplicates();
    assertThat(ids).allSatisfy(id -> assertThat(id).matches("[A-Za-z0-9_-]{22}"));
  }

  @Test
  void aTasksStreamEndsWithItsFinalEventAndIsNotFoundForAnotherOrganization() throws Exception {
    String id = submit("acme");
    awaitCompleted(id);
    try (SseClient task = open("api/v1/tasks/" + id + "/events", "acme", "0")) {
      assertThat(task.until("task_completed"))
          .extracting(SseClient.Event::name)
          .containsExactly("task_submitted", "task_started", "task_completed");
      assertThat(task.next(Duration.ofSeconds(1))).as("the stream ended").isNull();
    }
    try (SseClient other = open("api/v1/tasks/" + id + "/events", "globex", "0")) {
      assertThat(other.status()).isEqualTo(404);
    }
    try (SseClient bad = open("api/v1/events", "acme", "yesterday")) {
      assertThat(bad.status()).isEqualTo(400);
    }
    try (SseClient none = SseClient.open(http, server.uri("api/v1/events"), null, null)) {
      assertThat(none.status()).isEqualTo(401);
    }
  }
}
