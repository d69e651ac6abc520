package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.http.internal.TaskSocketEndpoint;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A socket must authenticate first and in time, and its token's expiry closes it even while it
 * sends and receives nothing: no socket stays open on junk, silence or an old token.
 */
class WebSocketAuthDeadlineTest extends ApiTestSupport {
  private final JwtTokens tokens =
      JwtTokens.builder("deadline-secret-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8))
          .clock(clock)
          .build();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();

  @Override
  boolean webSocket() {
    return true;
  }

  @Override
  void configure(ErrandFeature.Builder feature) {
    feature.tokens(tokens);
  }

  private WebSocket open() {
    return http.newWebSocketBuilder()
        .buildAsync(
            URI.create(server.uri("ws/tasks").toString().replace("http:", "ws:")),
            new WebSocket.Listener() {
              @Override
              public CompletionStage<?> onText(WebSocket s, CharSequence text, boolean last) {
                try {
                  messages.add(JSON.readTree(text.toString()));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                s.request(1);
                return null;
              }

              @Override
              public CompletionStage<?> onClose(WebSocket s, int code, String reason) {
                closed.complete(code);
                return null;
              }
            })
        .join();
  }

  @Test
  void junkBeforeAuthenticationClosesTheSocket() throws Exception {
    WebSocket ws = open();
    ws.sendText("{\"type\": \"hello\"}", true).join();
    assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
    assertThat(messages).isEmpty();
  }

  @Test
  void aSocketThatDoesNotAuthenticateInTimeIsClosed() throws Exception {
    open();
    clock.advance(TaskSocketEndpoint.AUTH_TIMEOUT.plusSeconds(1));
    assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
  }

  @Test
  void anAuthenticatedSocketThatSubscribesToNothingClosesWhenItsTokenExpires() throws Exception {
    WebSocket ws = open();
    String token = tokens.issueSocketToken(new Caller("acme", "jane")).value();
    ws.sendText("{\"type\": \"authenticate\", \"token\": \"" + token + "\"}", true).join();
    assertThat(messages.poll(10, TimeUnit.SECONDS).path("type").asText())
        .isEqualTo("authenticated");

    clock.advance(TaskSocketEndpoint.AUTH_TIMEOUT.plusSeconds(1));
    assertThat(closed).as("authenticated in time: still open").isNotDone();
    clock.advance(JwtTokens.SOCKET_TOKEN_TTL);
    assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
  }
}
