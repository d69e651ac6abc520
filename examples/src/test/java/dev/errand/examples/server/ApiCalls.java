package dev.errand.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Calls to a running server's API over HTTP, failing the test on an error answer. */
final class ApiCalls {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ApiCalls() {}

  /** Sends a JSON request (or none) with the bearer token (or none) and reads the answer. */
  static JsonNode call(String base, String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.header("Content-Type", "application/json")
        .method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isLessThan(300);
    return JSON.readTree(r.body());
  }

  /** Polls a task until it has the status, for at most 20 s. */
  static JsonNode awaitStatus(String base, String path, String token, String status) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> call(base, "GET", path, token, null),
            s -> s.path("status").asText().equals(status));
  }

  /** An access token of the development user. */
  static String login(String base, String password) throws Exception {
    String body =
        JSON.createObjectNode()
            .put("username", ServerConfig.DEV_USER)
            .put("password", password)
            .toString();
    return call(base, "POST", "/auth/login", null, body).path("access_token").asText();
  }

  /**
   * POST /auth/login from a loopback address of the test's choosing ({@code 127.0.0.N}, all
   * loopback on Linux), written by hand since java.net.http cannot bind one; the whole answer.
   */
  static String signInFrom(String from, int port, String username, String password)
      throws IOException {
    String body =
        JSON.createObjectNode().put("username", username).put("password", password).toString();
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + body.getBytes(StandardCharsets.UTF_8).length
                  + "\r\nConnection: close\r\n\r\n"
                  + body)
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
