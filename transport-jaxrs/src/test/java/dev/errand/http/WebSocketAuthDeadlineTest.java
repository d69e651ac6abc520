package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.errand.http.internal.TaskSocketEndpoint;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

  @Override
  boolean webSocket() {
    return true;
  }

  @Override
  void configure(ErrandFeature.Builder feature) {
    feature.tokens(tokens);
  }

  private SocketClient open() {
    return new SocketClient(
        http, URI.create(server.uri("ws/tasks").toString().replace("http:", "ws:")));
  }

  @Test
  void junkBeforeAuthenticationClosesTheSocket() throws Exception {
    SocketClient ws = open();
    ws.send("{\"type\": \"hello\"}");
    assertThat(ws.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
    assertThat(ws.messages).isEmpty();
  }

  @Test
  void aSocketThatDoesNotAuthenticateInTimeIsClosed() throws Exception {
    SocketClient ws = open();
    // the server may take the socket in a moment after the client has it: move the clock past the
    // deadline until the server's next check, a second at most, has closed the socket
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              clock.advance(TaskSocketEndpoint.AUTH_TIMEOUT.plusSeconds(1));
              return ws.closed.isDone();
            });
    assertThat(ws.closed.get()).isEqualTo(1008);
  }

  @Test
  void anAuthenticatedSocketThatSubscribesToNothingClosesWhenItsTokenExpires() throws Exception {
    SocketClient ws = open();
    String token = tokens.issueSocketToken(new Caller("acme", "jane")).value();
    ws.send("{\"type\": \"authenticate\", \"token\": \"" + token + "\"}");
    assertThat(ws.messages.poll(10, TimeUnit.SECONDS).path("type").asText())
        .isEqualTo("authenticated");

    clock.advance(TaskSocketEndpoint.AUTH_TIMEOUT.plusSeconds(1));
    assertThat(ws.closed).as("authenticated in time: still open").isNotDone();
    clock.advance(JwtTokens.SOCKET_TOKEN_TTL);
    assertThat(ws.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
  }
}
