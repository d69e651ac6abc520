package dev.errand.internal;

import dev.errand.EngineTimer;
import dev.errand.TaskEvent;
import dev.errand.TaskListener;
import dev.errand.spi.TaskStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the store's event log to listeners, in sequence order, from one drain at a time. A local
 * write wakes it at once; a poll picks up events written by other engines on the same store.
 */
final class EventDispatcher {
  private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);
  private static final int BATCH = 500;

  private final TaskStore store;
  private final EngineTimer timer;
  private final Duration pollInterval;
  private final List<TaskListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private volatile boolean running;
  private long lastSeq = -1;

  EventDispatcher(TaskStore store, EngineTimer timer, Duration pollInterval) {
    this.store = store;
    this.timer = timer;
    this.pollInterval = pollInterval;
  }

  synchronized void add(TaskListener listener) {
    if (lastSeq < 0) {
      lastSeq = store.lastEventSeq();
    }
    listeners.add(listener);
  }

  void remove(TaskListener listener) {
    listeners.remove(listener);
  }

  void start() {
    running = true;
    poll();
  }

  void stop() {
    running = false;
    drain();
  }

  /** Delivers new events soon. */
  void wake() {
    if (running && !listeners.isEmpty() && drainScheduled.compareAndSet(false, true)) {
      timer.schedule(Duration.ZERO, this::drain);
    }
  }

  private void poll() {
    if (running) {
      wake();
      timer.schedule(pollInterval, this::poll);
    }
  }

  private synchronized void drain() {
    drainScheduled.set(false);
    if (listeners.isEmpty()) {
      return;
    }
    List<TaskEvent> batch;
    do {
      try {
        batch = store.eventsAfter(lastSeq, BATCH);
      } catch (RuntimeException e) {
        log.warn("reading task events failed; trying again at the next poll", e);
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
