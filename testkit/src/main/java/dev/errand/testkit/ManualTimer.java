package dev.errand.testkit;

import dev.errand.EngineTimer;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * An {@link EngineTimer} that runs nothing on its own: scheduled work runs on the test's thread
 * when the test calls {@link #runDue()} or {@link #advance(Duration)}, which also moves the clock.
 * An engine built with it claims, heartbeats, recovers leases and times out exactly when the test
 * says, so scheduler tests need no sleeps. Thread-safe: agents on worker threads may schedule work.
 */
public final class ManualTimer implements EngineTimer {
  private record Entry(Instant due, long seq, Runnable task) {}

  private final MutableClock clock;
  private final PriorityQueue<Entry> queue =
      new PriorityQueue<>(
          (a, b) -> a.due.equals(b.due) ? Long.compare(a.seq, b.seq) : a.due.compareTo(b.due));
  private long seq;

  /** A timer driven by this clock. */
  public ManualTimer(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Entry entry = new Entry(clock.instant().plus(delay), seq++, task);
    queue.add(entry);
    return () -> remove(entry);
  }

  private synchronized void remove(Entry entry) {
    queue.remove(entry);
  }

  /** Runs every task due by now, including those they schedule for now, in due order. */
  public void runDue() {
    Entry next;
    while ((next = pollDue(clock.instant())) != null) {
      next.task().run();
    }
  }

  /**
   * Moves the clock forward by {@code duration}, stopping at each scheduled instant on the way to
   * run what is due then, and finally runs what is due at the end.
   */
  public void advance(Duration duration) {
    Instant target = clock.instant().plus(duration);
    Entry next;
    while ((next = pollDue(target)) != null) {
      if (next.due().isAfter(clock.instant())) {
        clock.set(next.due());
      }
      next.task().run();
    }
    clock.set(target);
    runDue();
  }

  /** How many tasks are scheduled. */
  public synchronized int pending() {
    return queue.size();
  }

  private synchronized Entry pollDue(Instant by) {
    Entry head = queue.peek();
    return head != null && !head.due().isAfter(by) ? queue.poll() : null;
  }
}
