package dev.errand.internal;

import dev.errand.EngineTimer;
import dev.errand.TaskEvent;
import dev.errand.TaskListener;
import dev.errand.spi.TaskStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the store's event log to listeners, in sequence order, on its own thread, so a slow
 * listener never holds up heartbeats or claims on the timer. A local write wakes it at once; a poll
 * picks up events written by other engines on the same store.
 */
final class EventDispatcher {
  private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);
  private static final int BATCH = 500;

  private final TaskStore store;
  private final List<TaskListener> listeners = new CopyOnWriteArrayList<>();
  private final WakeableLoop loop;
  private long lastSeq;

  EventDispatcher(TaskStore store, EngineTimer timer, Duration pollInterval) {
    this.store = store;
    this.loop = new WakeableLoop("errand-events", timer, pollInterval, this::drain);
  }

  /** Adds a listener; the first one after none starts from the newest event. */
  synchronized void add(TaskListener listener) {
    if (listeners.isEmpty()) {
      lastSeq = store.lastEventSeq();
    }
    listeners.add(listener);
  }

  void remove(TaskListener listener) {
    listeners.remove(listener);
  }

  void start() {
    loop.start();
  }

  /** Stops polling and delivers what is left. */
  void stop() {
    loop.stop();
    drain();
  }

  /** Stops, waiting up to {@code bound} for a pass under way; false if it was still going. */
  boolean close(Duration bound) {
    return loop.close(bound);
  }

  /** Delivers new events soon. */
  void wake() {
    if (!listeners.isEmpty()) {
      loop.wake();
    }
  }

  private synchronized void drain() {
    if (listeners.isEmpty()) {
      return;
    }
    List<TaskEvent> batch;
    do {
      try {
        batch = store.eventsAfter(lastSeq, BATCH);
      } catch (RuntimeException e) {
        FailureLog.warn(log, "reading task events failed; trying again at the next poll", e);
        return;
      }
      batch.forEach(this::deliver);
    } while (batch.size() == BATCH);
  }

  private void deliver(TaskEvent event) {
    lastSeq = event.seq();
    for (TaskListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        log.error("task listener {} failed on {}", listener, event, e);
      }
    }
  }
}
