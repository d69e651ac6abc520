package dev.errand.internal;

import dev.errand.spi.Completion;
import dev.errand.spi.TaskStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the completions of runs in groups, one {@link TaskStore#completeAll} call each (a group
 * commit). A run that ends queues its completion and takes the write lock; whoever holds the lock
 * writes every completion queued by then, so while one group is written the next one gathers, and a
 * lone completion waits for nobody. A run returns only once its own completion is stored or
 * refused, so its worker is not reused before that. If a group's write fails, each of its
 * completions is written alone, so a bad one costs only its own run.
 */
final class CompletionBatcher {
  private static final Logger log = LoggerFactory.getLogger(CompletionBatcher.class);

  /** The most completions written together. */
  static final int MAX_GROUP = 128;

  /** The most characters of results and reports written together, bar a group's first. */
  static final long MAX_GROUP_CHARS = 4L * 1024 * 1024;

  private final TaskStore store;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final ReentrantLock writing = new ReentrantLock();

  CompletionBatcher(TaskStore store) {
    this.store = store;
  }

  /**
   * Stores the completion, with those of other runs that end meanwhile.
   *
   * @return whether its lease was held
   * @throws RuntimeException what the store threw when this completion was written alone
   */
  boolean write(Completion completion) {
    Pending mine = new Pending(completion);
    queue.add(mine);
    writing.lock();
    try {
      while (!mine.done) { // not taken yet: only a lock holder takes, and finishes what it takes
        writeGroup();
      }
    } finally {
      writing.unlock();
    }
    if (mine.failure != null) {
      throw mine.failure;
    }
    return mine.held;
  }

  private void writeGroup() {
    List<Pending> group = takeGroup();
    if (group.size() == 1) {
      group.get(0).writeAlone(store);
      return;
    }
    List<Boolean> held;
    try {
      held = store.completeAll(group.stream().map(p -> p.completion).toList());
    } catch (RuntimeException e) {
      FailureLog.warn(
          log, "writing " + group.size() + " completions together failed; writing each alone", e);
      group.forEach(p -> p.writeAlone(store));
      return;
    }
    for (int i = 0; i < group.size(); i++) {
      group.get(i).finish(held.get(i), null);
    }
  }

  private List<Pending> takeGroup() {
    List<Pending> group = new ArrayList<>();
    long chars = 0;
    Pending next;
    while (group.size() < MAX_GROUP && (next = queue.peek()) != null) {
      chars += next.chars();
      if (!group.isEmpty() && chars > MAX_GROUP_CHARS) {
        break;
      }
      group.add(queue.remove());
    }
    return group;
  }

  /** A queued completion; its outcome is set and read under the write lock. */
  private static final class Pending {
    private final Completion completion;
    private boolean done;
    private boolean held;
    private RuntimeException failure;

    Pending(Completion completion) {
      this.completion = completion;
    }

    long chars() {
      return length(completion.result()) + length(completion.report());
    }

    private static long length(String s) {
      return s == null ? 0 : s.length();
    }

    void writeAlone(TaskStore store) {
      try {
        finish(store.complete(completion), null);
      } catch (RuntimeException e) {
        finish(false, e);
      }
    }

    void finish(boolean held, RuntimeException failure) {
      this.held = held;
      this.failure = failure;
      this.done = true;
    }
  }
}
