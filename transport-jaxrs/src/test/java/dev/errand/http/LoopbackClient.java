package dev.errand.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 written by hand on a socket bound to a chosen loopback address, which java.net.http
 * cannot do: on Linux all of 127.0.0.0/8 is loopback, so a server on 127.0.0.1 sees each 127.x.y.z
 * as another client.
 */
final class LoopbackClient {
  /** An answer: status, headers by lower-case name, body. */
  record Answer(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private LoopbackClient() {}

  /** The address of client {@code n}, 0 to 63,499: 127.0.x.y with x at least 1. */
  static String address(int n) {
    return "127.0." + (1 + n / 250) + "." + (1 + n % 250);
  }

  /** Sends a JSON body (or none) from {@code from} to the server's port on 127.0.0.1. */
  static Answer send(String from, int port, String method, String path, String json)
      throws IOException {
    return send(from, port, method, path, json, null);
  }

  /** As {@link #send(String, int, String, String, String)}, with a bearer token unless null. */
  static Answer send(String from, int port, String method, String path, String json, String bearer)
      throws IOException {
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    String head =
        method
            + " "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + (bearer == null ? "" : "\r\nAuthorization: Bearer " + bearer)
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return parse(readAll(socket.getInputStream()));
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    return all.toString(StandardCharsets.UTF_8);
  }

  private static Answer parse(String text) {
    int end = text.indexOf("\r\n\r\n");
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    String body = text.substring(end + 4);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = unchunk(body);
    }
    return new Answer(status, headers, body);
  }

  /** The chunks of an ASCII body (sizes count bytes, and these bodies are ASCII). */
  private static String unchunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(chunked, lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
  }
}
