package dev.errand.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 POST over a socket connected to an address the caller has checked, so the address a
 * webhook reaches is the address that was permitted (a resolver cannot be asked twice and answer
 * differently). For https the certificate is verified against the URL's host (sent as SNI).
 * Redirects are not followed: a 3xx is just the answer. Only the status line and headers of the
 * answer are read. The whole exchange, connecting included, ends within the deadline, however
 * slowly the receiver answers.
 */
final class WebhookHttp {
  /** The receiver's answer: its status and its Retry-After header, if any. */
  record Answer(int status, String retryAfter) {}

  private static final int MAX_LINE = 8192;
  private static final int MAX_HEADERS = 100;
  private static final int MAX_ADDRESSES = 2;

  private final Duration connectTimeout;
  private final Duration deadline;
  private final SSLSocketFactory tls;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  WebhookHttp(Duration connectTimeout, Duration deadline, SSLSocketFactory tls) {
    this.connectTimeout = connectTimeout;
    this.deadline = deadline;
    this.tls = tls;
  }

  /**
   * Posts the body to the URL at the first of its addresses (at most {@value #MAX_ADDRESSES} are
   * tried) that accepts a connection.
   */
  Answer post(URI url, List<InetAddress> addresses, Map<String, String> headers, byte[] body)
      throws IOException {
    URI ascii = URI.create(url.toASCIIString());
    long endNanos = System.nanoTime() + deadline.toNanos();
    IOException last = null;
    for (InetAddress address : addresses.subList(0, Math.min(MAX_ADDRESSES, addresses.size()))) {
      try (Sockets sockets = new Sockets()) {
        Socket s;
        try {
          s = connect(sockets, ascii, address, endNanos);
        } catch (IOException e) {
          last = e;
          continue;
        }
        write(s.getOutputStream(), ascii, headers, body);
        return read(new BufferedInputStream(s.getInputStream()), s, endNanos);
      }
    }
    throw last == null ? new IOException("no address to connect to") : last;
  }

  /** How many sockets attempts under way hold open (for tests). */
  int openSockets() {
    return open.size();
  }

  /** Closes the connections under way, so that their attempts end at once. */
  void abortAll() {
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  /**
   * The sockets one attempt opened (for https, TLS over a plain socket), each in {@link #open}
   * while the attempt lasts. Closing closes and unregisters them all, whatever failed.
   */
  private final class Sockets implements AutoCloseable {
    private final List<Socket> opened = new ArrayList<>(2);

    <S extends Socket> S add(S socket) {
      opened.add(socket);
      open.add(socket);
      return socket;
    }

    @Override
    public void close() {
      for (int i = opened.size() - 1; i >= 0; i--) {
        Socket s = opened.get(i);
        try {
          s.close();
        } catch (IOException e) {
          // closing anyway
        } finally {
          open.remove(s);
        }
      }
    }
  }

  /** The connected socket, TLS over the plain one for https; each registered in the sockets. */
  private Socket connect(Sockets sockets, URI url, InetAddress address, long endNanos)
      throws IOException {
    boolean https = url.getScheme().equalsIgnoreCase("https");
    int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
    Socket plain = sockets.add(new Socket());
    int connect = (int) Math.min(connectTimeout.toMillis(), remainingMillis(endNanos));
    plain.connect(new InetSocketAddress(address, port), connect);
    if (!https) {
      return plain;
    }
    String host = url.getHost();
    host = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    // SNI from the host; closing the TLS socket closes the plain one too (autoClose)
    SSLSocket ssl = sockets.add((SSLSocket) tls.createSocket(plain, host, port, true));
    SSLParameters params = ssl.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    ssl.setSSLParameters(params);
    ssl.setSoTimeout(remainingMillis(endNanos));
    ssl.startHandshake();
    return ssl;
  }

  private static void write(OutputStream raw, URI url, Map<String, String> headers, byte[] body)
      throws IOException {
    String target = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      target += "?" + url.getRawQuery();
    }
    StringBuilder head = new StringBuilder();
    head.append("POST ").append(token(target)).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(token(url.getRawAuthority())).append("\r\n");
    head.append("Content-Length: ").append(body.length).append("\r\n");
    head.append("Connection: close\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    OutputStream out = new BufferedOutputStream(raw);
    out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  /** The text, if it is visible ASCII only (no space, no control character). */
  private static String token(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException("not visible ASCII at index " + i + ": " + text);
      }
    }
    return text;
  }

  /** Reads the final answer's status line and headers, skipping any 1xx answers before it. */
  private static Answer read(InputStream in, Socket s, long endNanos) throws IOException {
    while (true) {
      int status = status(line(in, s, endNanos));
      String retryAfter = null;
      for (String h : headers(in, s, endNanos)) {
        int colon = h.indexOf(':');
        if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("Retry-After")) {
          retryAfter = h.substring(colon + 1).trim();
        }
      }
      if (status >= 200) {
        return new Answer(status, retryAfter);
      }
    }
  }

  private static int status(String line) throws IOException {
    String[] parts = line.split(" ", 3);
    if (parts.length < 2 || !parts[0].toUpperCase(Locale.ROOT).startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x answer: " + abbreviate(line));
    }
    try {
      int status = Integer.parseInt(parts[1]);
      if (status < 100 || status > 599) {
        throw new NumberFormatException();
      }
      return status;
    } catch (NumberFormatException e) {
      throw new IOException("bad HTTP status line: " + abbreviate(line), e);
    }
  }

  private static List<String> headers(InputStream in, Socket s, long endNanos) throws IOException {
    List<String> headers = new ArrayList<>();
    for (String line = line(in, s, endNanos); !line.isEmpty(); line = line(in, s, endNanos)) {
      if (headers.size() == MAX_HEADERS) {
        throw new IOException("more than " + MAX_HEADERS + " headers in the answer");
      }
      headers.add(line);
    }
    return headers;
  }

  /** One line without its CRLF (or bare LF), read before the deadline. */
  private static String line(InputStream in, Socket s, long endNanos) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      s.setSoTimeout(remainingMillis(endNanos));
      int b = in.read();
      if (b == '\n') {
        break;
      }
      if (b == -1) {
        throw new IOException("the receiver closed the connection before answering");
      }
      if (line.length() == MAX_LINE) {
        throw new IOException("an answer line longer than " + MAX_LINE + " bytes");
      }
      line.append((char) b);
    }
    int end = line.length();
    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
  }

  /** Milliseconds left before the deadline, at least 1; past it, a timeout. */
  private static int remainingMillis(long endNanos) throws SocketTimeoutException {
    long left = (endNanos - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new SocketTimeoutException("no complete answer within the attempt's deadline");
    }
    return (int) Math.min(left, Integer.MAX_VALUE);
  }

  private static String abbreviate(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "..." : s;
  }
}
