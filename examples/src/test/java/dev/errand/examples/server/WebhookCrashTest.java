package dev.errand.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.testkit.ChildProcess;
import dev.errand.testkit.WebhookReceiver;
import dev.errand.webhook.WebhookSecret;
import dev.errand.webhook.WebhookVerifier;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server in its own JVM, killed with SIGKILL after a task has ended but before its
 * webhooks were delivered (the receiver answers 503 until then), delivers every one of them after a
 * restart, signed so that the document's verifier accepts them.
 */
class WebhookCrashTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;

  @Test
  void aServerKilledBeforeDeliveringStillDeliversEveryEventAfterARestart() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.start(InetAddress.getByName("127.0.0.2"))) {
      receiver.answer(r -> WebhookReceiver.Answer.of(503));
      String secret;
      String taskId;
      try (ChildProcess first = server("first.log")) {
        String password = after(first.awaitLineContaining("password: "), "password: ");
        secret = after(first.awaitLineContaining("webhook signing secret: "), "secret: ");
        String base = after(first.awaitLineContaining("listening on "), "listening on ");
        String token = ApiCalls.login(base, password);
        String body =
            JSON.createObjectNode()
                .put("task_type", "research_agent")
                .put("webhook_url", receiver.url("/hooks").toString())
                .<JsonNode>set("input", JSON.readTree("{\"query\": \"q\", \"sources\": [\"a\"]}"))
                .toString();
        taskId = ApiCalls.call(base, "POST", "/api/v1/tasks", token, body).path("task_id").asText();
        ApiCalls.awaitStatus(base, "/api/v1/tasks/" + taskId, token, "completed");
        first.kill(); // the task has ended; none of its webhooks has been answered with a 2xx
      }
      List<WebhookReceiver.Received> beforeKill = receiver.received();
      receiver.answer(r -> WebhookReceiver.Answer.of(200));

      try (ChildProcess second = server("second.log")) {
        second.awaitLineContaining("listening on ");
        await() // every event tried before the kill, and the completion, arrive; a delivery
            // under way at the kill is attempted again once its one-minute lease has ended
            .atMost(Duration.ofMinutes(2))
            .until(
                () -> {
                  List<WebhookReceiver.Received> after = since(receiver, beforeKill.size());
                  return ids(after).containsAll(ids(beforeKill))
                      && eventTypes(after).contains("task_completed");
                });
      }
      List<WebhookReceiver.Received> afterRestart = since(receiver, beforeKill.size());
      assertThat(eventTypes(afterRestart))
          .contains("task_submitted", "task_started", "task_progress", "task_completed");
      Map<String, String> bodyById = new TreeMap<>();
      for (WebhookReceiver.Received r : receiver.received()) {
        assertThat(JSON.readTree(r.body()).path("task_id").asText()).isEqualTo(taskId);
        assertThat(
                WebhookReceiver.verifyWebhookSignature(
                    r.body(), r.header("X-Context-Signature"), secret))
            .isTrue();
        assertThat(bodyById.putIfAbsent(r.header("webhook-id"), r.text())).isIn(null, r.text());
      }
      WebhookReceiver.Received last = afterRestart.get(afterRestart.size() - 1);
      WebhookVerifier.of(List.of(WebhookSecret.parse(secret)))
          .verify(
              last.header("webhook-id"),
              last.header("webhook-timestamp"),
              last.header("webhook-signature"),
              last.body());
    }
  }

  private ChildProcess server(String log) throws Exception {
    return ChildProcess.start(
        ErrandServer.class,
        data.resolve(log),
        "--data",
        data.toString(),
        "--port",
        "0",
        "--demo-step-pause-ms",
        "0",
        "--webhook-http",
        "on",
        "--webhook-allow",
        "127.0.0.2/32");
  }

  private static String after(String line, String marker) {
    return line.substring(line.indexOf(marker) + marker.length()).strip();
  }

  private static List<WebhookReceiver.Received> since(WebhookReceiver receiver, int from) {
    List<WebhookReceiver.Received> all = receiver.received();
    return all.subList(from, all.size());
  }

  private static Set<String> eventTypes(List<WebhookReceiver.Received> received) {
    return received.stream()
        .map(r -> r.text().replaceAll(".*\"event_type\":\"([a-z_]+)\".*", "$1"))
        .collect(Collectors.toSet());
  }

  private static Set<String> ids(List<WebhookReceiver.Received> received) {
    return received.stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet());
  }
}
