package dev.errand.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP server on 127.0.0.1 that reads each request's head and body and answers with the given raw
 * bytes, optionally one byte at a time with a pause between them, or never.
 */
final class ScriptedServer implements AutoCloseable {
  private final ServerSocket socket;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  final CountDownLatch accepted = new CountDownLatch(1);
  private final byte[] answer;
  private final long pauseMillis;

  private ScriptedServer(String answer, long pauseMillis) throws IOException {
    this.socket = new ServerSocket();
    this.socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.answer = answer == null ? null : answer.getBytes(StandardCharsets.ISO_8859_1);
    this.pauseMillis = pauseMillis;
    Thread t = new Thread(this::serve, "scripted-server");
    t.setDaemon(true);
    t.start();
  }

  /** Answers every request with these bytes at once. */
  static ScriptedServer answering(String answer) throws IOException {
    return new ScriptedServer(answer, 0);
  }

  /** Answers one byte at a time, pausing between bytes. */
  static ScriptedServer dripping(String answer, long pauseMillis) throws IOException {
    return new ScriptedServer(answer, pauseMillis);
  }

  /** Accepts connections and never answers. */
  static ScriptedServer silent() throws IOException {
    return new ScriptedServer(null, 0);
  }

  URI url(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort() + pathAndQuery);
  }

  /** Each request received: head and body as ISO-8859-1 text. */
  List<String> requests() {
    return requests;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket s = socket.accept()) {
        accepted.countDown();
        requests.add(readRequest(s.getInputStream()));
        if (answer == null) {
          s.getInputStream().read(); // until the client gives up
          continue;
        }
        OutputStream out = s.getOutputStream();
        if (pauseMillis == 0) {
          out.write(answer);
          out.flush();
        } else {
          drip(out);
        }
      } catch (IOException | InterruptedException e) {
        // the client went away, or closing
      }
    }
  }

  /** Writes the answer a byte per pause, on a timer, until done or the client has gone. */
  private void drip(OutputStream out) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    AtomicInteger next = new AtomicInteger();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      timer.scheduleAtFixedRate(
          () -> {
            try {
              out.write(answer[next.getAndIncrement()]);
              out.flush();
              if (next.get() == answer.length) {
                done.countDown();
              }
            } catch (IOException | RuntimeException e) {
              done.countDown(); // the client has gone
            }
          },
          0,
          pauseMillis,
          TimeUnit.MILLISECONDS);
      done.await();
    } finally {
      timer.shutdownNow();
    }
  }

  private static String readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b == -1) {
        throw new IOException("request ended early");
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length =
        Integer.parseInt(text.replaceAll("(?s).*Content-Length: (\\d+)\r\n.*", "$1").strip());
    return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }
}
