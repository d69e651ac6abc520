package dev.errand.http.internal;

import dev.errand.TaskEvent;
import dev.errand.TaskEventType;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One open stream of events: whose they are, how far the log has been read for it, and a bounded
 * buffer of events waiting to be written. {@link EventStreams}' feeding thread reads the log and
 * fills the buffer without ever waiting on the client; a writer thread of its own empties the
 * buffer into the sink, so a client that does not read holds up nobody but itself. The feeding
 * thread reads for a stream only while its buffer has room for a whole batch, and ends a stream
 * whose client took no data for as long as the stall bound. Only the writer touches the sink.
 */
final class EventStream {
  /** Events a stream's buffer holds. */
  static final int CAPACITY = 1000;

  private static final Set<TaskEventType> FINAL =
      Set.of(
          TaskEventType.TASK_COMPLETED,
          TaskEventType.TASK_INCOMPLETE,
          TaskEventType.TASK_FAILED,
          TaskEventType.TASK_CANCELLED);

  private final String organizationId;
  private final UUID taskId; // null for the whole organization
  private final EventStreams.EventSink sink;
  private final Executor writers;
  private final Runnable onEnd;
  private final BlockingQueue<TaskEvent> buffer = new ArrayBlockingQueue<>(CAPACITY);
  private final AtomicBoolean writing = new AtomicBoolean();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile boolean keepAliveDue;
  private volatile boolean sinkClosed; // written by the writer only
  private volatile long sendingSince; // System.nanoTime() as a send began; 0 between sends
  private long cursor; // the feeding thread's alone
  private boolean finalQueued; // the feeding thread's alone

  /**
   * @param cursor the number of the last event the client has (or need not have)
   * @param onEnd run once when the stream ends, however it ends
   */
  EventStream(
      String organizationId,
      UUID taskId,
      EventStreams.EventSink sink,
      long cursor,
      Executor writers,
      Runnable onEnd) {
    this.organizationId = organizationId;
    this.taskId = taskId;
    this.sink = sink;
    this.cursor = cursor;
    this.writers = writers;
    this.onEnd = onEnd;
  }

  String organizationId() {
    return organizationId;
  }

  long cursor() {
    return cursor;
  }

  /** Whether the log should be read for this stream now: more to read, and room to take it. */
  boolean wantsMore(long lastSeq) {
    return !finalQueued && cursor < lastSeq && buffer.remainingCapacity() >= EventStreams.BATCH;
  }

  /** Buffers what the stream wants of a batch read after its cursor, and moves the cursor. */
  void take(Iterable<TaskEvent> batch) {
    for (TaskEvent e : batch) {
      if (finalQueued) {
        return;
      }
      if (wants(e)) {
        buffer.add(e); // never full: wantsMore checked the room for a batch
        finalQueued = taskId != null && FINAL.contains(e.type());
      }
      cursor = e.seq();
    }
    write();
  }

  private boolean wants(TaskEvent e) {
    return e.organizationId().equals(organizationId)
        && (taskId == null || taskId.equals(e.taskId()));
  }

  /** Sends something small once the buffer is written, so a dead connection is noticed. */
  void keepAlive() {
    keepAliveDue = true;
    write();
  }

  /** Whether a send has been waiting on the client for longer than {@code boundNanos}. */
  boolean stalled(long nowNanos, long boundNanos) {
    long since = sendingSince;
    return since != 0 && nowNanos - since > boundNanos;
  }

  boolean isEnded() {
    return ended.get() || sink.isClosed();
  }

  /**
   * Ends the stream: nothing more is buffered or sent, its end is reported at once, and its sink is
   * closed by its writer, after the send in progress if there is one (closing under a send that
   * waits on the client would race the container's write). A send to a client that never reads
   * again ends when the container's idle timeout fails it.
   */
  void end() {
    if (ended.compareAndSet(false, true)) {
      onEnd.run();
      write();
    }
  }

  private void write() {
    if (writing.compareAndSet(false, true)) {
      writers.execute(this::drain);
    }
  }

  /**
   * On a writer thread: sends the buffered events, then a keep-alive if one is due; closes the sink
   * once the stream has ended.
   */
  private void drain() {
    try {
      TaskEvent e;
      while (!ended.get() && (e = buffer.poll()) != null) {
        TaskEvent event = e;
        send(() -> sink.send(event));
        if (taskId != null && FINAL.contains(e.type())) {
          end(); // the task has ended: its stream has nothing more to say
        }
      }
      if (!ended.get() && keepAliveDue) {
        keepAliveDue = false;
        send(sink::keepAlive);
      }
    } catch (RuntimeException failure) { // the client went away under the send
      end();
    }
    if (ended.get()) {
      closeSink();
    }
    writing.set(false);
    if (ended.get() ? !sinkClosed : !buffer.isEmpty() || keepAliveDue) {
      write(); // asked for while this drain was finishing
    }
  }

  private void send(Runnable sending) {
    sendingSince = System.nanoTime() | 1; // never 0, which means no send
    try {
      sending.run();
    } finally {
      sendingSince = 0;
    }
    if (sink.isClosed()) {
      end();
    }
  }

  private void closeSink() {
    if (!sinkClosed) {
      sinkClosed = true;
      try {
        sink.close();
      } catch (RuntimeException e) {
        // the container has already let go of the response (it is stopping)
      }
    }
  }
}
