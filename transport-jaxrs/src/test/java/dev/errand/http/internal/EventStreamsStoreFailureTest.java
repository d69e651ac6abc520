package dev.errand.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.errand.StoreException;
import dev.errand.TaskEngine;
import dev.errand.TaskEvent;
import dev.errand.TaskListener;
import dev.errand.TaskRequest;
import dev.errand.agent.AgentResult;
import dev.errand.store.memory.InMemoryTaskStore;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Regression: when the engine's event log failed under an open stream (as it does once the engine
 * is closed), the feeding thread tried again at once and logged a stack trace per attempt, 52,000
 * of them in 5 s.
 */
class EventStreamsStoreFailureTest {
  private static final String ORG = "acme";

  private final TaskEngine engine =
      TaskEngine.builder()
          .store(new InMemoryTaskStore())
          .agent("noop", ctx -> AgentResult.completed(null))
          .build();
  private final FlakyEventLog eventLog = new FlakyEventLog(engine);
  private final ListSink sink = new ListSink();
  private final PrintStream stderr = System.err;
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

  @BeforeEach
  void captureLog() {
    System.setErr(new PrintStream(new Tee(stderr, logged), true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void close() {
    sink.close();
    engine.close();
    System.setErr(stderr);
  }

  @Test
  void aFailingEventLogIsRetriedWithBackoffLoggedOnceAndFedAgainWhenItWorks() {
    new EventStreams(eventLog.engine(), new EventIds(new byte[32]), 5).openFromNow(ORG, sink);
    submit();
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.events.size() == 1);

    eventLog.failing = true;
    int before = eventLog.reads.get();
    await()
        .pollInterval(Duration.ofMillis(10))
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(
            () -> {
              eventLog.wakeListeners(sink.events.get(0)); // new events must not cut a backoff short
              assertThat(eventLog.reads.get() - before)
                  .as("reads of the failing log")
                  .isLessThan(10);
            });

    eventLog.failing = false;
    submit();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sink.events.size() == 2 && !lines(" INFO ").isEmpty());
    assertThat(lines(" WARN ")).as("one warning for the streak").hasSize(1);
    assertThat(lines(" INFO ").get(0)).contains("works again");
    assertThat(logged.toString(StandardCharsets.UTF_8))
        .as("no stack trace")
        .doesNotContain("\tat ");
  }

  private void submit() {
    engine.submit(TaskRequest.builder("noop").organizationId(ORG).build());
  }

  /** The lines EventStreams logged at this level. */
  private List<String> lines(String level) {
    return logged
        .toString(StandardCharsets.UTF_8)
        .lines()
        .filter(l -> l.contains(level) && l.contains(EventStreams.class.getName()))
        .toList();
  }

  /** The engine, its event log failing on demand; counts the streams' reads of the log. */
  private static final class FlakyEventLog implements InvocationHandler {
    final AtomicInteger reads = new AtomicInteger();
    final List<TaskListener> listeners = new CopyOnWriteArrayList<>();
    volatile boolean failing;
    private final TaskEngine target;

    FlakyEventLog(TaskEngine target) {
      this.target = target;
    }

    TaskEngine engine() {
      return (TaskEngine)
          Proxy.newProxyInstance(
              TaskEngine.class.getClassLoader(), new Class<?>[] {TaskEngine.class}, this);
    }

    /** What the engine does on its own events; it is not started, so it does not do it itself. */
    void wakeListeners(TaskEvent event) {
      listeners.forEach(l -> l.onEvent(event));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "lastEventSeq", "eventsAfter" -> {
          reads.incrementAndGet();
          if (failing) {
            throw new StoreException("the store is down", null);
          }
        }
        case "addListener" -> listeners.add((TaskListener) args[0]);
        default -> {}
      }
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }

  /** Keeps what it is sent. */
  private static final class ListSink implements EventStreams.EventSink {
    final List<TaskEvent> events = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    @Override
    public boolean isClosed() {
      return closed;
    }

    @Override
    public void send(TaskEvent event) {
      events.add(event);
    }

    @Override
    public void keepAlive() {}

    @Override
    public void close() {
      closed = true;
    }
  }

  /** Writes to System.err as before and keeps a copy. */
  private static final class Tee extends OutputStream {
    private final PrintStream out;
    private final ByteArrayOutputStream copy;

    Tee(PrintStream out, ByteArrayOutputStream copy) {
      this.out = out;
      this.copy = copy;
    }

    @Override
    public void write(int b) {
      copy.write(b);
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      copy.write(b, off, len);
      out.write(b, off, len);
    }
  }
}
