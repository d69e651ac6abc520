package dev.errand.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WebSocket /ws/tasks of the standalone server, with the JDK's WebSocket client. */
class WebSocketTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;
  private final HttpClient http = HttpClient.newHttpClient();
  private StartedServer server;
  private String token;
  private final List<WebSocket> sockets = new ArrayList<>();

  /** Collects a socket's messages and its closing code. */
  static final class Client implements WebSocket.Listener {
    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence text, boolean last) {
      partial.append(text);
      if (last) {
        try {
          messages.add(JSON.readTree(partial.toString()));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      closed.complete(code);
      return null;
    }

    JsonNode next() throws InterruptedException {
      JsonNode m = messages.poll(10, TimeUnit.SECONDS);
      assertThat(m).as("a message within 10 s").isNotNull();
      return m;
    }

    int closeCode() throws Exception {
      return closed.get(10, TimeUnit.SECONDS);
    }
  }

  @BeforeEach
  void start() throws Exception {
    server = StartedServer.start(data, "--demo-step-pause-ms", "50");
    token = server.token(server.password());
  }

  @AfterEach
  void stop() {
    sockets.forEach(WebSocket::abort);
    server.close();
  }

  private WebSocket connect(Client client) {
    WebSocket ws =
        http.newWebSocketBuilder()
            .buildAsync(URI.create(server.base().replace("http:", "ws:") + "/ws/tasks"), client)
            .join();
    sockets.add(ws);
    return ws;
  }

  private String socketToken() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(server.base() + "/api/v1/websocket-auth"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).path("websocket_token").asText();
  }

  private boolean aNewConnectionAuthenticates() throws Exception {
    Client c = new Client();
    send(connect(c), "{\"type\": \"authenticate\", \"token\": \"" + socketToken() + "\"}");
    JsonNode m = c.messages.poll(2, TimeUnit.SECONDS);
    return m != null && m.path("type").asText().equals("authenticated");
  }

  private void send(WebSocket ws, String json) {
    ws.sendText(json, true).join();
  }

  @Test
  void theDocumentsFlowAuthenticateSubscribeThenStartedProgressCompleted() throws Exception {
    Client client = new Client();
    WebSocket ws = connect(client);
    send(ws, "{\"type\": \"authenticate\", \"token\": \"" + socketToken() + "\"}");
    assertThat(client.next().path("type").asText()).isEqualTo("authenticated");
    send(
        ws,
        "{\"type\": \"subscribe\", \"channels\": [\"task_updates\", \"system_notifications\"]}");
    JsonNode subscribed = client.next();
    assertThat(subscribed.path("type").asText()).isEqualTo("subscribed");
    assertThat(subscribed.path("channels")).hasSize(2);

    HttpResponse<String> submitted =
        http.send(
            HttpRequest.newBuilder(URI.create(server.base() + "/api/v1/tasks"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"task_type\": \"research_agent\", \"input\": {\"query\": \"q\","
                            + " \"sources\": [\"a\", \"b\"]}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String id = JSON.readTree(submitted.body()).path("task_id").asText();
    List<String> types = new ArrayList<>();
    JsonNode m;
    do {
      m = client.next();
      assertThat(m.path("task_id").asText()).isEqualTo(id);
      types.add(m.path("type").asText());
    } while (!m.path("type").asText().equals("task_completed"));
    assertThat(types).contains("task_started", "task_progress", "task_completed");
    assertThat(types.indexOf("task_started")).isLessThan(types.indexOf("task_progress"));
  }

  @Test
  void aMissingOrWrongTokenClosesTheSocket() throws Exception {
    Client wrong = new Client();
    send(connect(wrong), "{\"type\": \"authenticate\", \"token\": \"" + token + "\"}");
    assertThat(wrong.closeCode()).as("an access token is not a socket token").isEqualTo(1008);
    Client none = new Client();
    send(connect(none), "{\"type\": \"subscribe\", \"channels\": [\"task_updates\"]}");
    assertThat(none.closeCode()).isEqualTo(1008);
  }

  @Test
  void aSixthConnectionOfAnOrganizationIsRefusedUntilOneCloses() throws Exception {
    List<WebSocket> open = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Client c = new Client();
      WebSocket ws = connect(c);
      send(ws, "{\"type\": \"authenticate\", \"token\": \"" + socketToken() + "\"}");
      assertThat(c.next().path("type").asText()).isEqualTo("authenticated");
      open.add(ws);
    }
    Client sixth = new Client();
    send(connect(sixth), "{\"type\": \"authenticate\", \"token\": \"" + socketToken() + "\"}");
    JsonNode refused = sixth.next();
    assertThat(refused.path("type").asText()).isEqualTo("error");
    assertThat(refused.path("code").asText()).isEqualTo("TOO_MANY_CONNECTIONS");
    assertThat(refused.path("details").path("limit").asInt()).isEqualTo(5);
    assertThat(sixth.closeCode()).isEqualTo(1013);
    open.get(0).sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    // the server counts the closed one out as soon as it sees the close: a new one then fits
    await().atMost(Duration.ofSeconds(10)).until(this::aNewConnectionAuthenticates);
  }
}
