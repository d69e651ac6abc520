package dev.errand.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.TaskEngine;
import dev.errand.TaskEvent;
import dev.errand.TaskEventType;
import dev.errand.http.Caller;
import dev.errand.http.JwtTokens;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The WebSocket /ws/tasks of the task API document: the client authenticates with a token from
 * /api/v1/websocket-auth, subscribes to task_updates (and system_notifications), and then receives
 * task_started, task_progress, task_completed, task_failed (and the other task events) of its
 * organization. A missing, wrong or expired token closes the socket (1008), and so do anything but
 * an authenticate message before authentication, no authentication within {@link #AUTH_TIMEOUT},
 * and the token's expiry while the socket is open (checked at each message and keep-alive, and
 * every second whatever the socket does); a connection beyond the organization's limit is sent an
 * error message with the code TOO_MANY_CONNECTIONS and closed with 1013, try again later.
 */
public final class TaskSocketEndpoint extends Endpoint {
  /** How long an open socket may go without authenticating. */
  public static final Duration AUTH_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Open authenticated connections per organization, and the open sockets checked every second for
   * a late authentication or an expired token; shared by all of a feature's sockets.
   */
  public static final class Connections {
    private final OrganizationLimit open;
    private final SocketWatch watch = new SocketWatch();

    public Connections(int limit) {
      this.open = new OrganizationLimit(limit);
    }
  }

  private static final Set<String> CHANNELS = Set.of("task_updates", "system_notifications");

  private final TaskEngine engine;
  private final JwtTokens tokens;
  private final EventStreams streams;
  private final Connections connections;
  private final Clock clock;
  private volatile Caller caller;
  private volatile Instant expiresAt;
  private volatile Instant authenticateBy;
  private boolean streaming; // messages of one session arrive one at a time

  public TaskSocketEndpoint(
      TaskEngine engine,
      JwtTokens tokens,
      EventStreams streams,
      Connections connections,
      Clock clock) {
    this.engine = engine;
    this.tokens = tokens;
    this.streams = streams;
    this.connections = connections;
    this.clock = clock;
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    authenticateBy = clock.instant().plus(AUTH_TIMEOUT);
    session.addMessageHandler(String.class, text -> onMessage(session, text));
    connections.watch.add(session, () -> check(session));
  }

  /** Closes a socket that did not authenticate in time, or whose token has expired. */
  private void check(Session session) {
    if (caller == null) {
      if (!clock.instant().isBefore(authenticateBy)) {
        close(session, CloseReason.CloseCodes.VIOLATED_POLICY, "not authenticated in time");
      }
    } else {
      expired(session);
    }
  }

  @Override
  public void onClose(Session session, CloseReason reason) {
    connections.watch.remove(session);
    Caller c = caller;
    if (c != null) {
      caller = null;
      connections.open.release(c.organizationId());
    }
  }

  private void onMessage(Session session, String text) {
    JsonNode message;
    try {
      message = WireProviders.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      refuse(session, "messages are JSON objects");
      return;
    }
    String type = message.path("type").asText();
    if (caller == null && !type.equals("authenticate")) {
      close(session, CloseReason.CloseCodes.VIOLATED_POLICY, "authenticate first");
      return;
    }
    if (caller != null && expired(session)) {
      return;
    }
    switch (type) {
      case "authenticate" -> authenticate(session, message.path("token").asText(null));
      case "subscribe" -> subscribe(session, message.path("channels"));
      default -> refuse(session, "unknown message type");
    }
  }

  /** Answers a bad message with an error; before authentication, closes the socket instead. */
  private void refuse(Session session, String why) {
    if (caller == null) {
      close(session, CloseReason.CloseCodes.VIOLATED_POLICY, "authenticate first");
    } else {
      send(session, Map.of("type", "error", "message", why));
    }
  }

  private void authenticate(Session session, String token) {
    if (caller != null) {
      send(session, Map.of("type", "error", "message", "already authenticated"));
      return;
    }
    Caller c = token == null ? null : tokens.verifySocketToken(token).orElse(null);
    if (c == null) {
      close(
          session,
          CloseReason.CloseCodes.VIOLATED_POLICY,
          "authentication missing, wrong or expired");
      return;
    }
    if (!connections.open.acquire(c.organizationId())) {
      String why = "at most " + connections.open.limit() + " connections per organization";
      send(
          session,
          Map.of(
              "type",
              "error",
              "code",
              "TOO_MANY_CONNECTIONS",
              "message",
              why,
              "details",
              Map.of("limit", connections.open.limit())));
      close(session, CloseReason.CloseCodes.TRY_AGAIN_LATER, why);
      return;
    }
    expiresAt = tokens.socketTokenExpiry(token).orElse(Instant.MIN);
    caller = c;
    send(session, Map.of("type", "authenticated"));
  }

  private void subscribe(Session session, JsonNode channels) {
    Caller c = caller;
    if (c == null) {
      close(
          session,
          CloseReason.CloseCodes.VIOLATED_POLICY,
          "authentication missing, wrong or expired");
      return;
    }
    List<String> subscribed = new ArrayList<>();
    channels.forEach(
        n -> {
          if (CHANNELS.contains(n.asText())) {
            subscribed.add(n.asText());
          }
        });
    if (subscribed.contains("task_updates") && !streaming) {
      streaming = true; // a second subscribe must not double every event
      streams.openFromNow(c.organizationId(), new SocketSink(session, engine, this::expired));
    }
    send(session, Map.of("type", "subscribed", "channels", subscribed));
  }

  /** Whether the token the socket authenticated with has expired; then the socket is closed. */
  private boolean expired(Session session) {
    Instant until = expiresAt;
    if (until != null && !clock.instant().isBefore(until)) {
      close(session, CloseReason.CloseCodes.VIOLATED_POLICY, "authentication expired");
      return true;
    }
    return false;
  }

  private static void close(Session session, CloseReason.CloseCode code, String why) {
    try {
      session.close(new CloseReason(code, why));
    } catch (IOException e) {
      // already gone
    }
  }

  static void send(Session session, Object message) {
    try {
      String text = WireProviders.MAPPER.writeValueAsString(message);
      synchronized (session) {
        session.getBasicRemote().sendText(text);
      }
    } catch (IOException | IllegalStateException e) {
      close(session, CloseReason.CloseCodes.GOING_AWAY, "send failed");
    }
  }

  /** Task events as the document's messages: type, task_id, status, progress, and error. */
  private record SocketSink(Session session, TaskEngine engine, Predicate<Session> expired)
      implements EventStreams.EventSink {
    @Override
    public boolean isClosed() {
      return !session.isOpen();
    }

    @Override
    public void send(TaskEvent e) {
      if (expired.test(session)) {
        return;
      }
      Map<String, Object> m = EventStreams.fields(e, "type");
      if (e.type() == TaskEventType.TASK_FAILED) {
        m.put(
            "error",
            engine
                .find(e.taskId())
                .map(t -> t.error() == null ? null : t.error().message())
                .orElse(null));
      }
      TaskSocketEndpoint.send(session, m);
    }

    @Override
    public void keepAlive() {
      if (expired.test(session)) {
        return;
      }
      try {
        synchronized (session) {
          session.getBasicRemote().sendPing(ByteBuffer.allocate(0));
        }
      } catch (IOException | IllegalStateException e) {
        TaskSocketEndpoint.close(session, CloseReason.CloseCodes.GOING_AWAY, "ping failed");
      }
    }

    @Override
    public void close() {
      TaskSocketEndpoint.close(session, CloseReason.CloseCodes.NORMAL_CLOSURE, "done");
    }
  }
}
