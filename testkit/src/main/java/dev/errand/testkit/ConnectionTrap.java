package dev.errand.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listening socket that only counts the connections made to it (and closes them): it stands for
 * an address a webhook must never reach.
 */
public final class ConnectionTrap implements AutoCloseable {
  private final ServerSocket socket;
  private final AtomicInteger connections = new AtomicInteger();

  private ConnectionTrap(ServerSocket socket) {
    this.socket = socket;
    Thread t = new Thread(this::accept, "connection-trap-" + socket.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  /** A trap on a free port of the address. */
  public static ConnectionTrap on(InetAddress address) {
    try {
      ServerSocket s = new ServerSocket();
      s.bind(new InetSocketAddress(address, 0));
      return new ConnectionTrap(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port it listens on. */
  public int port() {
    return socket.getLocalPort();
  }

  /** How many connections reached it. */
  public int connections() {
    return connections.get();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try (Socket s = socket.accept()) {
        connections.incrementAndGet();
      } catch (IOException e) {
        // closed
      }
    }
  }
}
