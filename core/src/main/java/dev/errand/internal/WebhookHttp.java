package dev.errand.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 POST over a socket connected to an address the caller has checked, so the address a
 * webhook reaches is the address that was permitted (a resolver cannot be asked twice and answer
 * differently). For https the certificate is verified against the URL's host. Redirects are not
 * followed: a 3xx is just the answer. Only the status line and headers of the answer are read.
 */
final class WebhookHttp {
  /** The receiver's answer: its status and its Retry-After header, if any. */
  record Answer(int status, String retryAfter) {}

  private static final int MAX_LINE = 8192;
  private static final int MAX_HEADERS = 100;
  private static final int MAX_ADDRESSES = 2;
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final SSLSocketFactory tls;

  WebhookHttp(Duration connectTimeout, Duration readTimeout, SSLSocketFactory tls) {
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.tls = tls;
  }

  /**
   * Posts the body to the URL at the first of its addresses (at most {@value #MAX_ADDRESSES} are
   * tried, so an attempt ends well within its lease) that accepts a connection.
   */
  Answer post(URI url, List<InetAddress> addresses, Map<String, String> headers, byte[] body)
      throws IOException {
    IOException last = null;
    for (InetAddress address : addresses.subList(0, Math.min(MAX_ADDRESSES, addresses.size()))) {
      Socket socket;
      try {
        socket = connect(url, address);
      } catch (IOException e) {
        last = e;
        continue;
      }
      try (Socket s = socket) {
        write(s.getOutputStream(), url, headers, body);
        return read(new BufferedInputStream(s.getInputStream()));
      }
    }
    throw last == null ? new IOException("no address to connect to") : last;
  }

  private Socket connect(URI url, InetAddress address) throws IOException {
    boolean https = url.getScheme().equalsIgnoreCase("https");
    int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
    Socket plain = new Socket();
    try {
      plain.connect(new InetSocketAddress(address, port), (int) connectTimeout.toMillis());
      plain.setSoTimeout((int) readTimeout.toMillis());
      if (!https) {
        return plain;
      }
      String host = bare(url.getHost());
      SSLSocket ssl = (SSLSocket) tls.createSocket(plain, host, port, true);
      SSLParameters params = ssl.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      if (!IP_LITERAL.matcher(host).matches()) {
        params.setServerNames(List.of(new SNIHostName(host)));
      }
      ssl.setSSLParameters(params);
      ssl.startHandshake();
      return ssl;
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  private static void write(OutputStream raw, URI url, Map<String, String> headers, byte[] body)
      throws IOException {
    StringBuilder head = new StringBuilder();
    String target = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      target += "?" + url.getRawQuery();
    }
    head.append("POST ").append(target).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(url.getRawAuthority()).append("\r\n");
    head.append("Content-Length: ").append(body.length).append("\r\n");
    head.append("Connection: close\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    OutputStream out = new BufferedOutputStream(raw);
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  /** Reads the final answer's status line and headers, skipping any 1xx answers before it. */
  private static Answer read(InputStream in) throws IOException {
    while (true) {
      int status = status(line(in));
      String retryAfter = null;
      List<String> headers = headers(in);
      for (String h : headers) {
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

  private static List<String> headers(InputStream in) throws IOException {
    List<String> headers = new ArrayList<>();
    for (String line = line(in); !line.isEmpty(); line = line(in)) {
      if (headers.size() == MAX_HEADERS) {
        throw new IOException("more than " + MAX_HEADERS + " headers in the answer");
      }
      headers.add(line);
    }
    return headers;
  }

  /** One line without its CRLF (or bare LF). */
  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
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

  private static String bare(String host) {
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  private static String abbreviate(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "..." : s;
  }
}
