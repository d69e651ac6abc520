package dev.errand.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A Server-Sent Events client on the JDK HTTP client: events as they arrive, parsed. */
final class SseClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One event: its id, name and JSON data. */
  record Event(String id, String name, JsonNode data) {}

  private final HttpResponse<Stream<String>> response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Thread reader;

  private SseClient(HttpResponse<Stream<String>> response) {
    this.response = response;
    this.reader = new Thread(this::read, "sse-client");
    reader.setDaemon(true);
    reader.start();
  }

  static SseClient open(HttpClient http, URI uri, String authorization, String lastEventId)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    return new SseClient(http.send(b.build(), HttpResponse.BodyHandlers.ofLines()));
  }

  int status() {
    return response.statusCode();
  }

  java.net.http.HttpHeaders headers() {
    return response.headers();
  }

  private void read() {
    String id = null;
    String name = null;
    StringBuilder data = new StringBuilder();
    try (Stream<String> lines = response.body()) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            events.add(new Event(id, name, JSON.readTree(data.toString())));
          }
          id = null;
          name = null;
          data.setLength(0);
        } else if (line.startsWith("id:")) {
          id = line.substring(3).strip();
        } else if (line.startsWith("event:")) {
          name = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).strip());
        }
      }
    } catch (Exception e) {
      // closed
    }
  }

  /** The next event, waiting at most {@code timeout}; null when none came. */
  Event next(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Events until one named {@code name} (included), each within 10 seconds. */
  List<Event> until(String name) throws InterruptedException {
    List<Event> out = new ArrayList<>();
    while (true) {
      Event e = next(Duration.ofSeconds(10));
      if (e == null) {
        throw new AssertionError("no " + name + " within 10 s; got " + out);
      }
      out.add(e);
      if (name.equals(e.name())) {
        return out;
      }
    }
  }

  @Override
  public void close() {
    response.body().close();
    reader.interrupt();
  }
}
