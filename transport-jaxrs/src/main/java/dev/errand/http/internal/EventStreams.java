package dev.errand.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.errand.InvalidField;
import dev.errand.TaskEngine;
import dev.errand.TaskEvent;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds open Server-Sent Event streams (and WebSockets) from the engine's numbered event log, on
 * one daemon thread that reads the log and never writes to a client: each stream has its own
 * cursor, a bounded buffer and a writer thread of its own (see {@link EventStream}), so a client
 * that resumes with Last-Event-ID gets every later event of its organization (or task) once, in
 * order, and a client that stops reading delays nobody else. A stream whose client takes no data
 * for {@link #STALL} is ended; its client resumes with the last id it read. Woken by the engine's
 * own events and polling for other nodes' every quarter second; a comment line every 15 s finds
 * closed streams. When the store fails, the thread backs off (the poll doubled per failure, up to
 * 30 s) and logs the streak once, not once per attempt.
 */
public final class EventStreams {
  /** How long a send may wait on a client before its stream is ended. */
  public static final Duration STALL = Duration.ofSeconds(10);

  /** Events read from the log at a time. */
  static final int BATCH = 200;

  private static final Logger log = LoggerFactory.getLogger(EventStreams.class);
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final Duration PROBE_WAIT = Duration.ofMillis(250);

  /** Where a stream's events go: a Server-Sent Events response or a WebSocket. */
  interface EventSink {
    boolean isClosed();

    /** Sends the event, waiting while the client is slow; on failure the sink closes itself. */
    void send(TaskEvent event);

    /** Sends something small so a dead connection is noticed. */
    void keepAlive();

    void close();
  }

  private final TaskEngine engine;
  private final EventIds ids;
  private final OrganizationLimit open;
  private final ExecutorService writers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "errand-event-writer");
            t.setDaemon(true);
            return t;
          });
  private final List<EventStream> streams = new CopyOnWriteArrayList<>();
  private final Object signal = new Object();
  private boolean running; // guarded by signal: the feeding thread is alive
  private boolean listening; // guarded by signal: the engine wakes us on its events
  private boolean woken; // guarded by signal

  /**
   * @param ids the ids of the Server-Sent Events
   * @param maxStreamsPerOrganization Server-Sent Event streams an organization may hold open
   */
  public EventStreams(TaskEngine engine, EventIds ids, int maxStreamsPerOrganization) {
    this.engine = engine;
    this.ids = ids;
    this.open = new OrganizationLimit(maxStreamsPerOrganization);
  }

  /**
   * Opens a stream of an organization's events, or of one of its tasks (taskId not null), from the
   * event after {@code lastEventId}, or from now when it is null.
   *
   * @throws ApiException 400 when lastEventId is not an id this organization was given, 429 when
   *     the organization holds as many streams as it may
   */
  void open(String organizationId, UUID taskId, String lastEventId, SseEventSink sink, Sse sse) {
    long cursor = lastEventId == null ? engine.lastEventSeq() : cursor(organizationId, lastEventId);
    if (!open.acquire(organizationId) && !acquireAfterProbing(organizationId)) {
      throw new ApiException(
          429,
          "TOO_MANY_STREAMS",
          "at most "
              + open.limit()
              + " event streams per organization are open at once; close one first",
          Map.of("limit", open.limit()),
          Map.of("Retry-After", "1"));
    }
    SseSink sseSink = new SseSink(sink, sse, ids, organizationId);
    open(
        new EventStream(
            organizationId, taskId, sseSink, cursor, writers, () -> open.release(organizationId)));
  }

  /**
   * Takes a stream of an organization that holds its limit once it has given one back. A client
   * that went away is noticed only when a write to it fails, and browsers reconnect at once: the
   * organization's streams are sent a keep-alive, twice (the first write to a closed connection may
   * still succeed), and their end awaited for a moment.
   */
  private boolean acquireAfterProbing(String organizationId) {
    try {
      for (int i = 0; i < 2; i++) {
        streams.stream()
            .filter(s -> s.organizationId().equals(organizationId))
            .forEach(EventStream::keepAlive);
        if (open.acquire(organizationId, PROBE_WAIT)) {
          return true;
        }
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private long cursor(String organizationId, String lastEventId) {
    return ids.parse(organizationId, lastEventId)
        .orElseThrow(
            () ->
                ApiException.invalid(
                    "INVALID_REQUEST",
                    "Invalid Last-Event-ID",
                    List.of(
                        new InvalidField(
                            "Last-Event-ID",
                            "must be the id of an event this stream sent, or "
                                + EventIds.FROM_START
                                + " for the oldest kept"))));
  }

  /** Opens a stream of an organization's events from now on, into any sink. */
  void openFromNow(String organizationId, EventSink sink) {
    open(new EventStream(organizationId, null, sink, engine.lastEventSeq(), writers, () -> {}));
  }

  private void open(EventStream stream) {
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
          streams.forEach(EventStream::keepAlive);
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

  /**
   * Ends stalled streams, then reads the log for each stream that has room, one batch at a time;
   * streams at the same place share each read.
   */
  private void feedAll() {
    long now = System.nanoTime();
    streams.removeIf(
        s -> {
          if (s.stalled(now, STALL.toNanos())) {
            s.end();
          }
          return s.isEnded();
        });
    if (streams.isEmpty()) {
      return;
    }
    long last = engine.lastEventSeq();
    Map<Long, List<TaskEvent>> read = new HashMap<>();
    for (EventStream s : streams) {
      while (s.wantsMore(last)) {
        List<TaskEvent> batch = read.computeIfAbsent(s.cursor(), c -> engine.eventsAfter(c, BATCH));
        if (batch.isEmpty()) {
          break;
        }
        s.take(batch);
      }
    }
  }

  /**
   * Server-Sent Events: id is the event's id for the organization, event its type, data its JSON.
   */
  private record SseSink(SseEventSink sink, Sse sse, EventIds ids, String organizationId)
      implements EventSink {
    @Override
    public boolean isClosed() {
      return sink.isClosed();
    }

    @Override
    public void send(TaskEvent e) {
      send(
          sse.newEventBuilder()
              .id(ids.format(organizationId, e.seq()))
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
