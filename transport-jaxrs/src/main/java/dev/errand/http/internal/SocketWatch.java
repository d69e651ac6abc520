package dev.errand.http.internal;

import jakarta.websocket.Session;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs each open socket's check every second on one daemon thread, whatever the socket sends or
 * receives: a socket that never authenticates, or sits authenticated and unsubscribed, is still
 * closed on time. The thread runs only while sockets are open.
 */
final class SocketWatch {
  static final Duration PERIOD = Duration.ofSeconds(1);

  private final Map<Session, Runnable> checks = new ConcurrentHashMap<>();
  private ScheduledExecutorService thread; // guarded by this
  private ScheduledFuture<?> round; // guarded by this

  synchronized void add(Session session, Runnable check) {
    checks.put(session, check);
    if (round == null) {
      if (thread == null) {
        thread =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "errand-socket-watch");
                  t.setDaemon(true);
                  return t;
                });
      }
      long period = PERIOD.toMillis();
      round = thread.scheduleAtFixedRate(this::checkAll, period, period, TimeUnit.MILLISECONDS);
    }
  }

  synchronized void remove(Session session) {
    checks.remove(session);
    if (checks.isEmpty() && round != null) {
      round.cancel(false);
      round = null;
    }
  }

  private void checkAll() {
    checks.values().forEach(SocketWatch::runQuietly);
  }

  /** A check that fails (a socket closing under it) must not end the rounds of the others. */
  private static void runQuietly(Runnable check) {
    try {
      check.run();
    } catch (RuntimeException e) {
      // the socket is going away; its onClose removes it
    }
  }
}
