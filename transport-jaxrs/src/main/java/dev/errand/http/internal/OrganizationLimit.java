package dev.errand.http.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How many of something (open sockets, open event streams) each organization holds, up to a limit.
 * Taken and given back when connections open and close, which is rare next to requests: one lock
 * serves all organizations.
 */
final class OrganizationLimit {
  private final int limit;
  private final Map<String, Integer> held = new HashMap<>(); // guarded by this

  OrganizationLimit(int limit) {
    this.limit = limit;
  }

  /** Takes one for the organization; false, taking nothing, when it holds the limit already. */
  synchronized boolean acquire(String organizationId) {
    int now = held.getOrDefault(organizationId, 0);
    if (now >= limit) {
      return false;
    }
    held.put(organizationId, now + 1);
    return true;
  }

  /** As {@link #acquire(String)}, waiting up to {@code wait} for one to be given back. */
  synchronized boolean acquire(String organizationId, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!acquire(organizationId)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Gives back one that {@link #acquire} took. */
  synchronized void release(String organizationId) {
    int now = held.getOrDefault(organizationId, 0);
    if (now <= 1) {
      held.remove(organizationId);
    } else {
      held.put(organizationId, now - 1);
    }
    notifyAll();
  }

  int limit() {
    return limit;
  }
}
