package dev.errand.examples.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;

/**
 * Cuts HTTP connections that dribble their request headers: a connection that has received bytes
 * since its last request ended, and has had no request to handle for {@link #HEADER_TIMEOUT} since,
 * is closed, so a slow-header client costs a socket for that long at most, however slowly it sends.
 * (Jetty's idle timeout restarts at every byte; its minimum request data rate bounds slow bodies,
 * set beside this in the server.) A connection whose request is being handled, an SSE stream say,
 * is left alone.
 */
final class SlowClientGuard extends Handler.Wrapper implements Connection.Listener {
  /** How long request headers may take to arrive. */
  static final Duration HEADER_TIMEOUT = Duration.ofSeconds(10);

  private static final Duration SWEEP = Duration.ofSeconds(1);

  /** What the guard knows of one connection. */
  private static final class State {
    final AtomicInteger active = new AtomicInteger();
    volatile long bytesWhenIdle; // bytes received when the last request ended
    volatile long partialSince = -1; // when more bytes were first seen since then, or -1
  }

  private final Map<Connection, State> connections = new ConcurrentHashMap<>();
  private ScheduledExecutorService sweeper;

  SlowClientGuard(Handler handler) {
    super(handler);
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection) { // not a WebSocket's, whose frames come as they will
      connections.put(connection, new State());
    }
  }

  @Override
  public void onClosed(Connection connection) {
    connections.remove(connection);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Connection connection = request.getConnectionMetaData().getConnection();
    State state = connections.get(connection);
    if (state == null) {
      return super.handle(request, response, callback);
    }
    state.active.incrementAndGet();
    Callback ended =
        new Callback() {
          @Override
          public void succeeded() {
            ended(connection, state);
            callback.succeeded();
          }

          @Override
          public void failed(Throwable x) {
            ended(connection, state);
            callback.failed(x);
          }

          @Override
          public InvocationType getInvocationType() {
            return callback.getInvocationType();
          }
        };
    boolean handled = false;
    try {
      handled = super.handle(request, response, ended);
      return handled;
    } finally {
      if (!handled) {
        ended(connection, state);
      }
    }
  }

  private static void ended(Connection connection, State state) {
    state.bytesWhenIdle = connection.getBytesIn();
    state.partialSince = -1;
    state.active.decrementAndGet();
  }

  @Override
  protected void doStart() throws Exception {
    sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "errand-slow-client-guard");
              t.setDaemon(true);
              return t;
            });
    long every = SWEEP.toMillis();
    sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    super.doStart();
  }

  @Override
  protected void doStop() throws Exception {
    super.doStop();
    sweeper.shutdownNow();
  }

  private void sweep() {
    long now = System.nanoTime();
    connections.forEach(
        (connection, state) -> {
          if (state.active.get() > 0 || connection.getBytesIn() <= state.bytesWhenIdle) {
            state.partialSince = -1; // handling a request, or idle between requests
          } else if (state.partialSince < 0) {
            state.partialSince = now;
          } else if (now - state.partialSince > HEADER_TIMEOUT.toNanos()) {
            connection.close();
          }
        });
  }
}
