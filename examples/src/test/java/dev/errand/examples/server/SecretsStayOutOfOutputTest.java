package dev.errand.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.testkit.ChildProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything the standalone server (a child JVM) prints and logs while hostile and honest clients
 * use it, read for the secret values themselves: passwords (right and wrong), access and WebSocket
 * tokens (whole, and the signature alone), API keys (right and wrong), the token signing secret and
 * the webhook secret. The first start prints the new credentials once, by design; nothing after it
 * may.
 */
class SecretsStayOutOfOutputTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, String> secrets = new LinkedHashMap<>();
  private String base;

  @Test
  void noSecretIsPrintedOrLoggedAfterTheFirstStart() throws Exception {
    String password;
    try (ChildProcess first = server("first.log")) {
      password = after(first.awaitLineContaining("password: "), "password: ");
      secrets.put("API key", after(first.awaitLineContaining("API key"), ": "));
      secrets.put("webhook secret", after(first.awaitLineContaining("webhook signing"), ": "));
      first.awaitLineContaining("listening on ");
    }
    secrets.put("password", password);
    readTokenSecret();
    StringBuilder printed = new StringBuilder();
    try (ChildProcess second = server("second.log")) {
      String listening = second.awaitLineContaining("listening on ");
      printed.append(listening).append('\n');
      base = after(listening, "listening on ");
      useHostilely(password);
      second.kill();
      for (String line = second.readLine(); line != null; line = second.readLine()) {
        printed.append(line).append('\n');
      }
    }
    String everything = printed + Files.readString(data.resolve("second.log"));
    assertThat(everything)
        .as("the security log ran")
        .contains("sign-in failed: 401", "429 RATE_LIMIT_EXCEEDED", "source=127.0.0.2");
    assertThat(secrets).hasSizeGreaterThan(10);
    secrets.forEach(
        (what, value) ->
            assertThat(everything).as("output holding the " + what).doesNotContain(value));
  }

  private ChildProcess server(String log) throws Exception {
    return ChildProcess.start(
        ErrandServer.class,
        data.resolve(log),
        "--data",
        data.resolve("server").toString(),
        "--port",
        "0",
        "--demo-step-pause-ms",
        "0");
  }

  private static String after(String line, String label) {
    return line.substring(line.indexOf(label) + label.length()).strip();
  }

  private void readTokenSecret() throws Exception {
    JsonNode config = JSON.readTree(Files.readString(data.resolve("server/server.json")));
    String secret = config.path("jwt_secret").asText();
    secrets.put("token signing secret", secret);
    secrets.put(
        "token signing secret, hex", HexFormat.of().formatHex(Base64.getDecoder().decode(secret)));
  }

  private void useHostilely(String password) throws Exception {
    int port = URI.create(base).getPort();
    for (int i = 0; i < 8; i++) { // checked, then held back; from another address than the user's
      String wrong = "wrong-password-" + i + "-" + Long.toHexString(System.nanoTime());
      secrets.put("wrong password " + i, wrong);
      assertThat(ApiCalls.signInFrom("127.0.0.2", port, ServerConfig.DEV_USER, wrong))
          .startsWith(i < 3 ? "HTTP/1.1 401" : "HTTP/1.1 429");
    }
    // the password typed as the username would be logged as one: the security log's known limit
    ApiCalls.signInFrom("127.0.0.3", port, "nobody@errand.local", password + "-not");
    String token = ApiCalls.login(base, password);
    int signature = token.lastIndexOf('.') + 1;
    secrets.put("access token", token);
    secrets.put("access token signature", token.substring(signature));
    String forged = token.substring(0, signature) + "AAAA" + token.substring(signature + 4);
    secrets.put("forged token", forged);
    send("GET", "/api/v1/tasks", forged, null);
    send("GET", "/api/v1/tasks?limit=oops", token, null);
    for (int i = 0; i < 60; i++) { // past the list limit: 429s
      send("GET", "/api/v1/tasks", token, null);
    }
    String wrongKey = "ck_" + HexFormat.of().formatHex(new byte[16]).replace('0', '7');
    secrets.put("wrong API key", wrongKey);
    String agentTask =
        "{\"caylex_api_key\": \"%s\", \"user_email\": \"j@x.io\", \"prompt\": \"One.\"}";
    send("POST", "/api/v1/agent-task", token, agentTask.formatted(wrongKey));
    send("POST", "/api/v1/agent-task", token, agentTask.formatted(secrets.get("API key")));
    String socketToken =
        JSON.readTree(send("POST", "/api/v1/websocket-auth", token, null).body())
            .path("websocket_token")
            .asText();
    secrets.put("WebSocket token", socketToken);
    useSockets(socketToken);
  }

  private void useSockets(String socketToken) throws Exception {
    URI uri = URI.create(base.replace("http:", "ws:") + "/ws/tasks");
    WebSocketTest.Client wrong = new WebSocketTest.Client();
    WebSocket first = http.newWebSocketBuilder().buildAsync(uri, wrong).join();
    first.sendText(authenticate(socketToken + "x"), true);
    assertThat(wrong.closeCode()).isEqualTo(1008);
    WebSocketTest.Client right = new WebSocketTest.Client();
    WebSocket second = http.newWebSocketBuilder().buildAsync(uri, right).join();
    second.sendText(authenticate(socketToken), true);
    assertThat(right.next().path("type").asText()).isEqualTo("authenticated");
    second.abort();
  }

  private static String authenticate(String token) {
    return "{\"type\": \"authenticate\", \"token\": \"" + token + "\"}";
  }

  private HttpResponse<String> send(String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.header("Content-Type", "application/json")
        .method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
