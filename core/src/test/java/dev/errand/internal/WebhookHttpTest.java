package dev.errand.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

class WebhookHttpTest {
  private static final List<InetAddress> LOOPBACK = List.of(InetAddress.getLoopbackAddress());
  private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

  private static WebhookHttp http(Duration deadline) {
    return new WebhookHttp(
        Duration.ofSeconds(5), deadline, (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  @Test
  void interimAnswersAreSkippedAndRetryAfterIsRead() throws Exception {
    try (ScriptedServer server =
        ScriptedServer.answering(
            "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n")) {
      WebhookHttp.Answer answer =
          http(Duration.ofSeconds(10))
              .post(server.url("/hooks/é?x=1"), LOOPBACK, Map.of("X-Test", "yes"), BODY);
      assertThat(answer).isEqualTo(new WebhookHttp.Answer(503, "7"));
      String request = server.requests().get(0);
      assertThat(request)
          .startsWith("POST /hooks/%C3%A9?x=1 HTTP/1.1\r\n")
          .contains("Host: 127.0.0.1:")
          .contains("Content-Length: 7\r\n")
          .contains("X-Test: yes\r\n")
          .endsWith("\r\n\r\n{\"a\":1}");
    }
  }

  @Test
  void aReceiverDrippingItsAnswerIsCutOffAtTheDeadline() throws Exception {
    String endless = "HTTP/1.1 200 OK\r\nX-Slow: " + "x".repeat(8000);
    try (ScriptedServer server = ScriptedServer.dripping(endless, 50)) {
      assertThatThrownBy(
              () -> http(Duration.ofMillis(500)).post(server.url("/h"), LOOPBACK, Map.of(), BODY))
          .isInstanceOf(
              SocketTimeoutException.class); // a byte every 50 ms: no read timed out alone
    }
  }

  @Test
  void answersThatAreNotHttpOrTooLongAreErrors() throws Exception {
    try (ScriptedServer server = ScriptedServer.answering("SSH-2.0-OpenSSH_9.6\r\n")) {
      assertThatThrownBy(
              () -> http(Duration.ofSeconds(10)).post(server.url("/h"), LOOPBACK, Map.of(), BODY))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("not an HTTP/1.x answer: SSH-2.0");
    }
    try (ScriptedServer server =
        ScriptedServer.answering("HTTP/1.1 200 OK\r\n" + "X-A: b\r\n".repeat(101) + "\r\n")) {
      assertThatThrownBy(
              () -> http(Duration.ofSeconds(10)).post(server.url("/h"), LOOPBACK, Map.of(), BODY))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("more than 100 headers");
    }
  }

  @Test
  void abortingEndsAnAttemptUnderWay() throws Exception {
    WebhookHttp http = http(Duration.ofSeconds(60));
    try (ScriptedServer server = ScriptedServer.silent()) {
      CompletableFuture<Object> attempt =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return http.post(server.url("/h"), LOOPBACK, Map.of(), BODY);
                } catch (IOException e) {
                  return e;
                }
              });
      assertThat(server.accepted.await(10, TimeUnit.SECONDS)).isTrue();
      while (!attempt.isDone()) {
        http.abortAll(); // the socket may be registered a moment after the server accepted
        Thread.onSpinWait();
      }
      assertThat(attempt.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void aFailedTlsHandshakeLeavesNoSocketOpen() throws Exception {
    WebhookHttp http = http(Duration.ofSeconds(10));
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      AtomicReference<String> serverSaw = new AtomicReference<>();
      Thread receiver = new Thread(() -> serverSaw.set(refuseTheHandshake(server)), "receiver");
      receiver.setDaemon(true);
      receiver.start();
      URI url = URI.create("https://127.0.0.1:" + server.getLocalPort() + "/h");

      assertThatThrownBy(() -> http.post(url, LOOPBACK, Map.of(), BODY))
          .isInstanceOf(SSLHandshakeException.class);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(serverSaw).hasValue("end of stream"));
      assertThat(http.openSockets()).isZero();
    }
  }

  /**
   * Accepts one connection, reads the ClientHello, answers with a fatal handshake_failure alert and
   * reads on without closing: what it saw last ("end of stream" once the client has closed).
   */
  private static String refuseTheHandshake(ServerSocket server) {
    try (Socket s = server.accept()) {
      s.setSoTimeout(20_000);
      InputStream in = s.getInputStream();
      byte[] header = in.readNBytes(5); // type, version, length
      in.readNBytes((header[3] & 0xff) << 8 | header[4] & 0xff);
      byte[] alert = {21, 3, 3, 0, 2, 2, 40}; // alert record: fatal, handshake_failure
      s.getOutputStream().write(alert);
      while (in.read() != -1) {
        // the client's own alert, if any
      }
      return "end of stream";
    } catch (IOException e) {
      return e.toString();
    }
  }
}
