package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.agent.Agent;
import dev.errand.agent.AgentResult;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Over the WebSocket, each organization receives its own tasks' events and no one else's; a socket
 * closes when its token expires; a failed task's message carries its error.
 */
class WebSocketIsolationTest extends ApiTestSupport {
  private final JwtTokens tokens =
      JwtTokens.builder("isolation-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8))
          .clock(clock)
          .build();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();

  @Override
  boolean startEngine() {
    return true;
  }

  @Override
  Agent agent() {
    return ctx ->
        ctx.input().path("fail").asBoolean()
            ? AgentResult.failed("SOURCE_DOWN", "the market data source is down")
            : AgentResult.completed(null);
  }

  @Override
  boolean webSocket() {
    return true;
  }

  @Override
  void configure(ErrandFeature.Builder feature) {
    feature.tokens(tokens);
  }

  /** A subscribed socket of one organization and the messages it receives. */
  private BlockingQueue<JsonNode> subscribe(String org) throws Exception {
    SocketClient ws =
        new SocketClient(
            http, URI.create(server.uri("ws/tasks").toString().replace("http:", "ws:")));
    ws.closed.thenAccept(closed::complete);
    String token = tokens.issueSocketToken(new Caller(org, "jane")).value();
    ws.send("{\"type\": \"authenticate\", \"token\": \"" + token + "\"}");
    assertThat(ws.messages.poll(10, TimeUnit.SECONDS).path("type").asText())
        .isEqualTo("authenticated");
    ws.send("{\"type\": \"subscribe\", \"channels\": [\"task_updates\"]}");
    assertThat(ws.messages.poll(10, TimeUnit.SECONDS).path("type").asText())
        .isEqualTo("subscribed");
    return ws.messages;
  }

  private static List<String> taskIdsUntilCompleted(BlockingQueue<JsonNode> messages)
      throws InterruptedException {
    List<String> ids = new ArrayList<>();
    while (true) {
      JsonNode m = messages.poll(10, TimeUnit.SECONDS);
      assertThat(m).as("task_completed within 10 s after " + ids).isNotNull();
      ids.add(m.path("task_id").asText());
      if (m.path("type").asText().equals("task_completed")) {
        return ids;
      }
    }
  }

  @Test
  void theSocketClosesWhenItsTokenExpires() throws Exception {
    BlockingQueue<JsonNode> acme = subscribe("acme");
    clock.advance(JwtTokens.SOCKET_TOKEN_TTL.plusSeconds(1));
    submit("acme");
    assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
    assertThat(acme).as("no event after the expiry").isEmpty();
  }

  @Test
  void eachOrganizationReceivesOnlyItsOwnTasksEvents() throws Exception {
    BlockingQueue<JsonNode> acme = subscribe("acme");
    BlockingQueue<JsonNode> globex = subscribe("globex");
    String globexTask = submit("globex");
    String acmeTask = submit("acme");
    assertThat(taskIdsUntilCompleted(acme)).containsOnly(acmeTask);
    assertThat(taskIdsUntilCompleted(globex)).containsOnly(globexTask);
  }

  @Test
  void aFailedTasksMessageCarriesItsError() throws Exception {
    BlockingQueue<JsonNode> acme = subscribe("acme");
    HttpResponse<String> r =
        send(
            "POST",
            "api/v1/tasks",
            "acme",
            "{\"task_type\": \"research_agent\", \"input\": {\"fail\": true}}");
    String id = json(r).path("task_id").asText();
    JsonNode m;
    do {
      m = acme.poll(10, TimeUnit.SECONDS);
      assertThat(m).as("task_failed within 10 s").isNotNull();
    } while (!m.path("type").asText().equals("task_failed"));
    assertThat(m.path("task_id").asText()).isEqualTo(id);
    assertThat(m.path("status").asText()).isEqualTo("failed");
    assertThat(m.path("error").asText()).isEqualTo("the market data source is down");
  }
}
