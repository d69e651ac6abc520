package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.errand.TaskRequest;
import dev.errand.http.internal.EventStreams;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An organization that opens its event stream from the start and never reads, with 30,000 events
 * waiting for it (on loopback the kernel takes about 4 MB of a connection's unread data, some
 * 16,000 events, before a write waits on the client; the events beyond are what the server holds):
 * another organization's events still arrive at once, the stalled stream is ended, and the stalled
 * client, resuming from the last event it read, gets every later event once. Streams beyond the
 * organization's limit get the error envelope.
 */
class SlowEventReaderTest extends ApiTestSupport {
  private static final int QUEUED = 30_000;
  private static final int SAMPLES = 200;

  /** Started, so that its events wake the streams; the tasks wait an hour, so none runs. */
  @Override
  boolean startEngine() {
    return true;
  }

  @Test
  void aReaderThatNeverReadsDelaysNoOneAndResumesExactlyOnceAfterItIsDropped() throws Exception {
    Set<String> queued = new HashSet<>();
    for (int i = 0; i < QUEUED; i++) {
      queued.add(taskId(engine.submit(request("stalled"))));
    }
    try (Socket stalled = openWithoutReading("stalled", "0")) {
      List<SseClient> others = new ArrayList<>();
      for (int i = 1; i < ErrandFeature.DEFAULT_MAX_STREAMS_PER_ORGANIZATION; i++) {
        others.add(open("stalled", null));
      }
      envelope(openAsText("stalled"), 429, "TOO_MANY_STREAMS");

      List<Long> latencies = latenciesOfOwnEvents();
      long p99 = latencies.get(latencies.size() * 99 / 100);
      assertThat(Duration.ofNanos(p99))
          .as("another organization's submit-to-event p99 while a reader stalls")
          .isLessThan(Duration.ofMillis(250));

      await("the stalled stream is dropped, freeing its place")
          .atMost(EventStreams.STALL.multipliedBy(3))
          .pollInterval(Duration.ofMillis(500))
          .until(this::aStreamOpens);
      others.forEach(SseClient::close);

      Map<String, String> firstRead = readToTheEnd(stalled);
      assertThat(firstRead.size()).as("events the stalled client read").isBetween(1, QUEUED - 1);
      String lastId = lastKey(firstRead);
      Set<String> rest = new HashSet<>(queued);
      rest.removeAll(firstRead.values());
      try (SseClient resumed = open("stalled", lastId)) {
        Set<String> again = new HashSet<>();
        for (int i = 0; i < rest.size(); i++) {
          SseClient.Event e = resumed.next(Duration.ofSeconds(10));
          assertThat(e).as("event " + i + " of " + rest.size() + " after resuming").isNotNull();
          assertThat(again.add(e.data().path("task_id").asText())).as("once").isTrue();
        }
        assertThat(again).isEqualTo(rest);
        assertThat(resumed.next(Duration.ofMillis(500))).as("nothing more").isNull();
      }
    }
  }

  private static TaskRequest request(String org) {
    return TaskRequest.builder("research_agent")
        .organizationId(org)
        .delay(Duration.ofHours(1))
        .build();
  }

  private static String taskId(dev.errand.Task task) {
    return "task_" + task.id();
  }

  /** Submit-to-own-event latencies of an organization with a reading stream, in order. */
  private List<Long> latenciesOfOwnEvents() throws Exception {
    List<Long> latencies = new ArrayList<>();
    try (SseClient acme = open("acme", null)) {
      for (int i = 0; i < SAMPLES; i++) {
        long start = System.nanoTime();
        String id = taskId(engine.submit(request("acme")));
        SseClient.Event e = acme.next(Duration.ofSeconds(30));
        latencies.add(System.nanoTime() - start);
        assertThat(e).isNotNull();
        assertThat(e.data().path("task_id").asText()).isEqualTo(id);
      }
    }
    latencies.sort(null);
    return latencies;
  }

  private boolean aStreamOpens() throws Exception {
    SseClient c = open("stalled", null);
    c.close();
    return c.status() == 200;
  }

  private SseClient open(String org, String lastEventId) throws Exception {
    return SseClient.open(
        http, server.uri("api/v1/events"), "Bearer " + org + ":jane", lastEventId);
  }

  private HttpResponse<String> openAsText(String org) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(server.uri("api/v1/events"))
            .header("Authorization", "Bearer " + org + ":jane")
            .timeout(Duration.ofSeconds(10))
            .build();
    return http.send(r, HttpResponse.BodyHandlers.ofString());
  }

  /** A stream opened over a socket with a small receive window, which is then never read. */
  private Socket openWithoutReading(String org, String lastEventId) throws Exception {
    URI uri = server.uri("api/v1/events");
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
    String request =
        "GET "
            + uri.getPath()
            + " HTTP/1.1\r\nHost: "
            + uri.getAuthority()
            + "\r\nAuthorization: Bearer "
            + org
            + ":jane\r\nAccept: text/event-stream\r\nLast-Event-ID: "
            + lastEventId
            + "\r\nConnection: close\r\n\r\n";
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  /** Reads what the server sent until it closed: each whole event's id and task id, in order. */
  private static Map<String, String> readToTheEnd(Socket s) throws Exception {
    s.setSoTimeout(10_000);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (InputStream in = s.getInputStream()) {
      in.transferTo(raw); // to the end: a read timeout fails the test
    }
    String text = raw.toString(StandardCharsets.UTF_8);
    int body = text.indexOf("\r\n\r\n");
    assertThat(text).startsWith("HTTP/1.1 200");
    String head = text.substring(0, body).toLowerCase(java.util.Locale.ROOT);
    String events = text.substring(body + 4);
    if (head.contains("transfer-encoding: chunked")) {
      events = dechunk(events);
    }
    Map<String, String> read = new LinkedHashMap<>();
    String[] blocks = events.split("\n\n", -1);
    for (int i = 0; i < blocks.length - 1; i++) { // the last may be cut off
      String id = null;
      String task = null;
      for (String line : blocks[i].split("\n")) {
        if (line.startsWith("id:")) {
          id = line.substring(3).strip();
        } else if (line.startsWith("data:")) {
          task = JSON.readTree(line.substring(5)).path("task_id").asText();
        }
      }
      if (id != null && task != null) {
        read.put(id, task);
      }
    }
    return read;
  }

  /** The body of a chunked transfer, as far as it came. */
  private static String dechunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int eol = chunked.indexOf("\r\n", at);
      if (eol < 0) {
        return out.toString();
      }
      int size = Integer.parseInt(chunked.substring(at, eol).strip(), 16);
      int start = eol + 2;
      if (size == 0 || start + size > chunked.length()) {
        out.append(chunked, start, Math.min(chunked.length(), start + size));
        return out.toString();
      }
      out.append(chunked, start, start + size);
      at = start + size + 2;
    }
  }

  private static String lastKey(Map<String, String> map) {
    String last = null;
    for (String key : map.keySet()) {
      last = key;
    }
    return last;
  }
}
