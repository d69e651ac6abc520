package dev.errand.store.jdbc;

import dev.errand.spi.CheckpointWrite;
import dev.errand.spi.ClaimRequest;
import dev.errand.spi.Completion;
import dev.errand.spi.ProgressUpdate;
import dev.errand.spi.Release;
import dev.errand.spi.TaskRecord;
import dev.errand.spi.TaskStore;
import dev.errand.testkit.ForwardingTaskStore;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Writes each claim, and each fenced write with whether the store accepted it, to the journal.
 * Completions written in groups reach the store as one group ({@link #completeAll}), so the chaos
 * runs the same batched path as production; each is journaled on its own.
 */
final class ChaosJournalingStore extends ForwardingTaskStore {
  private final ChaosJournal journal;

  ChaosJournalingStore(TaskStore delegate, ChaosJournal journal) {
    super(delegate);
    this.journal = journal;
  }

  @Override
  public List<TaskRecord> claim(ClaimRequest request) {
    long t0 = System.nanoTime();
    List<TaskRecord> claimed = super.claim(request);
    claimed.forEach(t -> journal.add("claim", t.id(), t.fence(), "-", true, t0));
    return claimed;
  }

  @Override
  public boolean checkpoint(CheckpointWrite w) {
    long t0 = System.nanoTime();
    return written(
        w.taskId(), w.fence(), "checkpoint:" + w.stepKey(), t0, () -> super.checkpoint(w));
  }

  @Override
  public boolean progress(ProgressUpdate u) {
    long t0 = System.nanoTime();
    return written(u.taskId(), u.fence(), "progress", t0, () -> super.progress(u));
  }

  @Override
  public boolean complete(Completion c) {
    long t0 = System.nanoTime();
    return written(c.taskId(), c.fence(), "complete", t0, () -> super.complete(c));
  }

  @Override
  public List<Boolean> completeAll(List<Completion> completions) {
    long t0 = System.nanoTime();
    List<Boolean> held = null;
    try {
      held = delegate.completeAll(completions);
      return held;
    } finally {
      for (int i = 0; i < completions.size(); i++) {
        Completion c = completions.get(i);
        journal.add("write", c.taskId(), c.fence(), "complete", held != null && held.get(i), t0);
      }
    }
  }

  @Override
  public boolean release(Release r) {
    long t0 = System.nanoTime();
    return written(r.taskId(), r.fence(), "release", t0, () -> super.release(r));
  }

  /** Journals the write's outcome; one that failed (threw) was not accepted either. */
  private boolean written(UUID task, long fence, String what, long t0, BooleanSupplier write) {
    boolean ok = false;
    try {
      ok = write.getAsBoolean();
      return ok;
    } finally {
      journal.add("write", task, fence, what, ok, t0);
    }
  }
}
