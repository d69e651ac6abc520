package dev.errand.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients against the standalone server over real sockets: 500 that send a body one byte every
 * 3 s without credentials, 50 that do so with a valid token, and 500 that send their headers one
 * byte every 3 s. Throughout, another client's authenticated GET of a task answers within 1 s, and
 * every slow connection is cut within the bounds the server sets.
 */
class SlowClientsTest {
  private static final int SLOW_BODIES = 500;
  private static final int SLOW_BODIES_WITH_TOKEN = 50;
  private static final int SLOW_HEADERS = 500;
  private static final Duration DRIP = Duration.ofSeconds(3);
  private static final Duration RUN = SlowClientGuard.HEADER_TIMEOUT.plus(DRIP).plusSeconds(3);

  @TempDir Path data;

  /** One slow connection: what it is, and when (nanoTime) the server closed it, or 0. */
  private static final class Slow {
    final String kind;
    long closedAt;

    Slow(String kind) {
      this.kind = kind;
    }
  }

  @Test
  void slowClientsAreCutAndTheApiAnswersEveryoneElseMeanwhile() throws Exception {
    try (StartedServer server = StartedServer.start(data, "--rate-limits", "off");
        Selector selector = Selector.open()) {
      String token = server.token(server.password());
      String taskId =
          ApiCalls.call(
                  server.base(),
                  "POST",
                  "/api/v1/tasks",
                  token,
                  "{\"task_type\": \"research_agent\", \"input\": {\"query\": \"q\","
                      + " \"sources\": [\"news_feeds\"]}}")
              .path("task_id")
              .asText();
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.server().port());
      Map<SocketChannel, Slow> slow = new HashMap<>();
      String body = "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
      for (int i = 0; i < SLOW_BODIES; i++) {
        open(selector, address, slow, "body", body + "Content-Length: 1000\r\n\r\n{");
      }
      for (int i = 0; i < SLOW_BODIES_WITH_TOKEN; i++) {
        String head = body + "Authorization: Bearer " + token + "\r\nContent-Length: 1000\r\n\r\n{";
        open(selector, address, slow, "body with a token", head);
      }
      for (int i = 0; i < SLOW_HEADERS; i++) {
        open(selector, address, slow, "headers", "GET /api/v1/tasks HTTP/1.1\r\nHost: x\r\nX-A: ");
      }
      long start = System.nanoTime();

      HttpClient http = HttpClient.newHttpClient();
      List<Long> latencies = new ArrayList<>();
      long nextDrip = start + DRIP.toNanos();
      long nextGet = start;
      while (System.nanoTime() - start < RUN.toNanos()) {
        if (System.nanoTime() >= nextGet) {
          latencies.add(timedGet(http, server.base() + "/api/v1/tasks/" + taskId, token));
          nextGet = System.nanoTime() + Duration.ofMillis(250).toNanos();
        }
        if (System.nanoTime() >= nextDrip) {
          drip(slow);
          nextDrip += DRIP.toNanos();
        }
        readClosed(selector, slow, 50);
      }

      assertThat(latencies).hasSizeGreaterThan(30);
      assertThat(latencies.stream().mapToLong(Long::longValue).max().orElseThrow())
          .as("slowest authenticated GET, ms, of %s", latencies)
          .isLessThan(1000);
      System.out.printf(
          "slow clients: %d authenticated GETs, slowest %d ms; slowest cut: body %d ms, body with"
              + " a token %d ms, headers %d ms%n",
          latencies.size(),
          latencies.stream().mapToLong(Long::longValue).max().orElseThrow(),
          slowestCut(slow, start, "body"),
          slowestCut(slow, start, "body with a token"),
          slowestCut(slow, start, "headers"));
      assertCut(slow, start, "body", Duration.ofSeconds(2));
      assertCut(slow, start, "body with a token", Duration.ofSeconds(5));
      assertCut(slow, start, "headers", SlowClientGuard.HEADER_TIMEOUT.plus(DRIP).plusSeconds(2));
      for (SocketChannel c : slow.keySet()) {
        c.close();
      }
    }
  }

  private static void open(
      Selector selector,
      InetSocketAddress to,
      Map<SocketChannel, Slow> slow,
      String kind,
      String head)
      throws IOException {
    SocketChannel c = SocketChannel.open(to);
    c.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
    c.configureBlocking(false);
    c.register(selector, SelectionKey.OP_READ);
    slow.put(c, new Slow(kind));
  }

  /** One more byte on every connection still open. */
  private static void drip(Map<SocketChannel, Slow> slow) {
    slow.forEach(
        (c, s) -> {
          if (s.closedAt == 0) {
            try {
              c.write(ByteBuffer.wrap(new byte[] {'a'}));
            } catch (IOException e) {
              s.closedAt = System.nanoTime(); // reset by the server
            }
          }
        });
  }

  /** Reads what the server sent; end of stream means it closed the connection. */
  private static void readClosed(Selector selector, Map<SocketChannel, Slow> slow, long millis)
      throws IOException {
    selector.select(millis);
    ByteBuffer sink = ByteBuffer.allocate(4096);
    for (SelectionKey key : selector.selectedKeys()) {
      SocketChannel c = (SocketChannel) key.channel();
      int n;
      try {
        do {
          sink.clear();
          n = c.read(sink);
        } while (n > 0);
      } catch (IOException e) {
        n = -1;
      }
      if (n < 0) {
        slow.get(c).closedAt = System.nanoTime();
        key.cancel();
      }
    }
    selector.selectedKeys().clear();
  }

  private static long slowestCut(Map<SocketChannel, Slow> slow, long start, String kind) {
    return slow.values().stream()
        .filter(s -> s.kind.equals(kind))
        .mapToLong(s -> s.closedAt == 0 ? -1 : (s.closedAt - start) / 1_000_000)
        .max()
        .orElseThrow();
  }

  private static void assertCut(
      Map<SocketChannel, Slow> slow, long start, String kind, Duration within) {
    List<Long> after =
        slow.values().stream()
            .filter(s -> s.kind.equals(kind))
            .map(s -> s.closedAt == 0 ? Long.MAX_VALUE : (s.closedAt - start) / 1_000_000)
            .toList();
    assertThat(after)
        .as("ms after opening until the server cut each slow %s connection", kind)
        .allMatch(ms -> ms <= within.toMillis());
  }

  private static long timedGet(HttpClient http, String url, String token) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(5))
            .build();
    long t0 = System.nanoTime();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
