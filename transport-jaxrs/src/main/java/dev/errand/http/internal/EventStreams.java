package dev.errand.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.errand.InvalidField;
import dev.errand.TaskEngine;
import dev.errand.TaskEvent;
import dev.errand.TaskEventType;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds open Server-Sent Event streams from the engine's numbered event log, on one daemon thread:
 * each stream has its own cursor, so a client that resumes with Last-Event-ID gets every later
 * event of its organization (or task) once, in order. Woken by the engine's own events and polling
 * for other nodes' every quarter second; a comment line every 15 s finds closed streams. When the
 * store fails, the thread backs off (the poll doubled per failure, up to 30 s) and logs the streak
 * once, not once per attempt.
 */
public final class EventStreams {
  private static final Logger log = LoggerFactory.getLogger(EventStreams.class);
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final int BATCH = 500;
  private static final Set<TaskEventType> FINAL =
      Set.of(
          TaskEventType.TASK_COMPLETED,
          TaskEventType.TASK_INCOMPLETE,
          TaskEventType.TASK_FAILED,
          TaskEventType.TASK_CANCELLED);

  /** Where a stream's events go: a Server-Sent Events response or a WebSocket. */
  interface EventSink {
    boolean isClosed();

    /** Sends the event; on failure the sink closes itself. */
    void send(TaskEvent event);

    /** Sends something small so a dead connection is noticed. */
    void keepAlive();

    void close();
  }

  /** One open stream: whose events, where it is, and where they go. */
  static final class Stream {
    final String organizationId;
    final UUID taskId; // null for the whole organization
    final EventSink sink;
    volatile long cursor;

    Stream(String organizationId, UUID taskId, EventSink sink, long cursor) {
      this.organizationId = organizationId;
      this.taskId = taskId;
      this.sink = sink;
      this.cursor = cursor;
    }

    boolean wants(TaskEvent e) {
      return e.organizationId().equals(organizationId)
          && (taskId == null || taskId.equals(e.taskId()));
    }
  }

  private final TaskEngine engine;
  private final List<Stream> streams = new CopyOnWriteArrayList<>();
  private final Object signal = new Object();
  private boolean running; // guarded by signal: the feeding thread is alive
  private boolean listening; // guarded by signal: the engine wakes us on its events
  private boolean woken; // guarded by signal

  public EventStreams(TaskEngine engine) {
    this.engine = engine;
  }

  /**
   * Opens a stream of an organization's events, or of one of its tasks (taskId not null), from the
   * event after {@code lastEventId}, or from now when it is null.
   *
   * @throws ApiException 400 when lastEventId is not an event number
   */
  void open(String organizationId, UUID taskId, String lastEventId, SseEventSink sink, Sse sse) {
    long cursor = lastEventId == null ? engine.lastEventSeq() : cursor(lastEventId);
    open(new Stream(organizationId, taskId, new SseSink(sink, sse), cursor));
  }

  private static long cursor(String lastEventId) {
    try {
      long n = Long.parseLong(lastEventId.strip());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.invalid(
        "INVALID_REQUEST",
        "Invalid Last-Event-ID",
        List.of(new InvalidField("Last-Event-ID", "must be an event number, 0 or more")));
  }

  /** Opens a stream of an organization's events from now on, into any sink. */
  void openFromNow(String organizationId, EventSink sink) {
    open(new Stream(organizationId, null, sink, engine.lastEventSeq()));
  }

  private void open(Stream stream) {
    streams.add(stream);
    synchronized (signal) {
      if (!listening) {
        listening = true;
        engine.addListener(e -> wake());
      }
      if (!running) {
        running = true;
        Thread t = new Thread(this::run, "errand-sse");
        t.setDaemon(true);
        t.start();
      }
    }
    wake();
  }

  private void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  private void run() {
    FailureStreak streak = new FailureStreak(log, "feeding event streams", POLL, MAX_BACKOFF);
    long lastKeepAlive = System.nanoTime();
    while (true) {
      Duration wait = POLL;
      try {
        feedAll();
        streak.succeeded();
        if (System.nanoTime() - lastKeepAlive > KEEP_ALIVE.toNanos()) {
          streams.forEach(s -> s.sink.keepAlive());
          lastKeepAlive = System.nanoTime();
        }
      } catch (RuntimeException e) { // the store failing: try again after a backoff
        wait = streak.failed(e);
      }
      try {
        if (!awaitWork(wait, !streak.failing())) {
          return; // no stream is open; the next one starts a thread again
        }
      } catch (InterruptedException e) {
        synchronized (signal) {
          running = false;
        }
        return;
      }
    }
  }

  /**
   * Waits for the next poll, or less when {@code wakeable} and events come; false, and the thread
   * ends, when no stream is open. After a failure the wait is a backoff that events do not cut
   * short: the store that failed would only fail again.
   */
  private boolean awaitWork(Duration wait, boolean wakeable) throws InterruptedException {
    synchronized (signal) {
      if (streams.isEmpty()) {
        running = false;
        return false;
      }
      long left = wait.toNanos();
      long deadline = System.nanoTime() + left;
      while (left > 0 && !(wakeable && woken)) {
        TimeUnit.NANOSECONDS.timedWait(signal, left);
        left = deadline - System.nanoTime();
      }
      woken = false;
      return true;
    }
  }

  private void feedAll() {
    streams.removeIf(s -> s.sink.isClosed());
    if (streams.isEmpty()) {
      return;
    }
    long last = engine.lastEventSeq();
    for (Stream s : streams) {
      while (s.cursor < last && !s.sink.isClosed()) {
        List<TaskEvent> batch = engine.eventsAfter(s.cursor, BATCH);
        if (batch.isEmpty()) {
          break;
        }
        for (TaskEvent e : batch) {
          deliver(s, e);
        }
      }
    }
  }

  private void deliver(Stream s, TaskEvent e) {
    if (s.wants(e)) {
      s.sink.send(e);
      if (s.taskId != null && FINAL.contains(e.type())) {
        s.sink.close(); // the task has ended: its stream has nothing more to say
      }
    }
    s.cursor = e.seq();
  }

  /** Server-Sent Events: id is the event's number, event its type, data its JSON. */
  private record SseSink(SseEventSink sink, Sse sse) implements EventSink {
    @Override
    public boolean isClosed() {
      return sink.isClosed();
    }

    @Override
    public void send(TaskEvent e) {
      send(
          sse.newEventBuilder()
              .id(Long.toString(e.seq()))
              .name(e.type().wireName())
              .mediaType(MediaType.APPLICATION_JSON_TYPE)
              .data(String.class, json(e))
              .build());
    }

    @Override
    public void keepAlive() {
      send(sse.newEventBuilder().comment("keep-alive").build());
    }

    private void send(OutboundSseEvent event) {
      if (sink.isClosed()) {
        return;
      }
      sink.send(event)
          .exceptionally(
              failure -> {
                sink.close(); // the client went away
                return null;
              });
    }

    @Override
    public void close() {
      sink.close();
    }
  }

  /**
   * An event's fields as the wire names them, its type under {@code typeKey} (SSE data says
   * event_type, WebSocket messages say type), lowercase statuses and {@code task_} ids.
   */
  static Map<String, Object> fields(TaskEvent e, String typeKey) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(typeKey, e.type().wireName());
    m.put("task_id", TaskIds.format(e.taskId()));
    m.put("status", TaskViews.status(e.status()));
    m.put("attempt", e.attempt());
    m.put("progress", e.percentage());
    m.put("stage", e.stage());
    m.put("timestamp", e.at());
    return m;
  }

  /** The event as a Server-Sent Event's data. */
  static String json(TaskEvent e) {
    try {
      return WireProviders.MAPPER.writeValueAsString(fields(e, "event_type"));
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("cannot write an event", ex);
    }
  }
}
