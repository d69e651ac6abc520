package dev.errand.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.testkit.WebhookReceiver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server nodes on one PostgreSQL database: node A only serves the API (--run-tasks off), node B
 * runs the tasks. A client of node A submits a task there and follows it on node A's event stream
 * and WebSocket: the events of the run on node B arrive.
 */
class TwoNodesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;

  @Test
  void aClientOfNodeAReceivesTheEventsOfATaskRunningOnNodeB() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      String[] db = {
        "--jdbc-url", postgres.getJdbcUrl("postgres", "postgres"),
        "--jdbc-user", "postgres",
        "--jdbc-password", "postgres",
        "--webhook-http", "on",
        "--webhook-allow", "127.0.0.2/32"
      };
      try (WebhookReceiver receiver = WebhookReceiver.start(InetAddress.getByName("127.0.0.2"));
          StartedServer a = StartedServer.start(data, with(db, "--run-tasks", "off"));
          StartedServer b = StartedServer.start(data, with(db, "--demo-step-pause-ms", "20"))) {
        String token = a.token(a.password());
        HttpClient http = HttpClient.newHttpClient();
        BlockingQueue<String> sse = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> stream =
            http.send(
                HttpRequest.newBuilder(URI.create(a.base() + "/api/v1/events"))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "text/event-stream")
                    .build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> readUntilClosed(stream, sse), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        WebSocketTest.Client socket = new WebSocketTest.Client();
        WebSocket ws = subscribed(http, a, token, socket);

        String id =
            ApiCalls.call(
                    a.base(),
                    "POST",
                    "/api/v1/tasks",
                    token,
                    "{\"task_type\": \"research_agent\", \"webhook_url\": \""
                        + receiver.url("/hooks")
                        + "\", \"input\": {\"query\": \"q\", \"sources\": [\"a\", \"b\"]}}")
                .path("task_id")
                .asText();

        List<String> socketTypes = new ArrayList<>();
        JsonNode m;
        do {
          m = socket.next();
          assertThat(m.path("task_id").asText()).isEqualTo(id);
          socketTypes.add(m.path("type").asText());
        } while (!m.path("type").asText().equals("task_completed"));
        assertThat(socketTypes).contains("task_started", "task_progress");
        assertThat(sseEventsUntilCompleted(sse))
            .contains("task_submitted", "task_started", "task_progress", "task_completed");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    receiver.received().stream()
                        .anyMatch(r -> r.text().contains("\"event_type\":\"task_completed\"")));
        ws.abort();
        stream.body().close();
      }
    }
  }

  private static WebSocket subscribed(
      HttpClient http, StartedServer a, String token, WebSocketTest.Client client)
      throws Exception {
    String socketToken =
        ApiCalls.call(a.base(), "POST", "/api/v1/websocket-auth", token, null)
            .path("websocket_token")
            .asText();
    WebSocket ws =
        http.newWebSocketBuilder()
            .buildAsync(URI.create(a.base().replace("http:", "ws:") + "/ws/tasks"), client)
            .join();
    ws.sendText("{\"type\": \"authenticate\", \"token\": \"" + socketToken + "\"}", true).join();
    assertThat(client.next().path("type").asText()).isEqualTo("authenticated");
    ws.sendText("{\"type\": \"subscribe\", \"channels\": [\"task_updates\"]}", true).join();
    assertThat(client.next().path("type").asText()).isEqualTo("subscribed");
    return ws;
  }

  /** The event names of the stream's events up to task_completed. */
  private static List<String> sseEventsUntilCompleted(BlockingQueue<String> lines)
      throws InterruptedException {
    List<String> names = new ArrayList<>();
    while (!names.contains("task_completed")) {
      String line = lines.poll(10, TimeUnit.SECONDS);
      assertThat(line).as("an event stream line within 10 s; so far " + names).isNotNull();
      if (line.startsWith("event:")) {
        names.add(line.substring("event:".length()).strip());
      }
    }
    return names;
  }

  private static String[] with(String[] base, String... more) {
    List<String> all = new ArrayList<>(List.of(base));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  /** Reads the stream's lines until the server or the test closes it. */
  private static void readUntilClosed(
      HttpResponse<Stream<String>> stream, BlockingQueue<String> to) {
    try {
      stream.body().forEach(to::add);
    } catch (UncheckedIOException e) {
      // the stream was closed: the test has what it needed
    }
  }
}
