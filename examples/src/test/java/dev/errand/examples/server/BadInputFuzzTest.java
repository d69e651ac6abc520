package dev.errand.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated bad requests (bodies, headers, query strings, ids, methods, content types) to every
 * endpoint of the standalone server: each answer is a 4xx with the error envelope, never a 500 and
 * never a container error page. The generator is seeded, so a failure repeats. Rate limits are off,
 * or most answers would be 429 before the input is looked at.
 */
class BadInputFuzzTest {
  private static final long SEED = 20261124L;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Random random = new Random(SEED);
  private StartedServer server;
  private String token;

  @BeforeEach
  void start() throws Exception {
    server = StartedServer.start(data, "--rate-limits", "off");
    token = server.token(server.password());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private URI uri(String path) {
    return URI.create(server.base() + "/" + path);
  }

  /** One endpoint: method, path (with {id} for a task id), and whether it reads a JSON body. */
  private record Endpoint(String method, String path, boolean body) {}

  private static final List<Endpoint> ENDPOINTS =
      List.of(
          new Endpoint("POST", "api/v1/tasks", true),
          new Endpoint("GET", "api/v1/tasks", false),
          new Endpoint("GET", "api/v1/tasks/{id}", false),
          new Endpoint("POST", "api/v1/tasks/{id}/cancel", true),
          new Endpoint("GET", "api/v1/tasks/{id}/results", false),
          new Endpoint("POST", "api/v1/websocket-auth", false),
          new Endpoint("POST", "api/v1/agent-task", true),
          new Endpoint("GET", "api/v1/agent-task/{id}", false),
          new Endpoint("POST", "auth/login", true),
          new Endpoint("GET", "api/v1/events", false),
          new Endpoint("GET", "api/v1/tasks/{id}/events", false),
          new Endpoint("GET", "api/v1/openapi.json", false),
          new Endpoint("GET", "api/v1/schedules", false),
          new Endpoint("GET", "api/v1/schedules/{id}", false),
          new Endpoint("DELETE", "api/v1/schedules/{id}", false),
          new Endpoint("POST", "api/v1/schedules/{id}/pause", false),
          new Endpoint("POST", "api/v1/schedules/{id}/resume", false));

  @Test
  void everyBadRequestGetsA4xxWithTheEnvelope() throws Exception {
    String existing = submitWithToken();
    assertThat(existing).startsWith("task_");
    int sent = 0;
    List<String> failures = new ArrayList<>();
    String previous = "none";
    for (int round = 0; round < 60; round++) {
      for (Endpoint e : ENDPOINTS) {
        HttpRequest request = badRequest(e, existing);
        String problem;
        try {
          problem = problem(http.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException ex) {
          problem = "no answer (" + ex.getMessage() + "); the request before: " + previous;
        }
        sent++;
        if (problem != null) {
          failures.add(describe(request) + " -> " + problem);
        }
        previous = describe(request);
      }
    }
    assertThat(sent).isGreaterThanOrEqualTo(500);
    assertThat(failures).as("answers that were not a 4xx envelope").isEmpty();
  }

  private static String describe(HttpRequest r) {
    return r.method() + " " + r.uri() + " " + r.headers().map();
  }

  private String submitWithToken() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri("api/v1/tasks"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"task_type\": \"research_agent\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return JSON.readTree(r.body()).path("task_id").asText();
  }

  /** Why the answer is not a 4xx envelope, or null when it is. */
  private static String problem(HttpResponse<String> r) {
    if (r.statusCode() < 400 || r.statusCode() > 499) {
      return r.statusCode() + " " + r.body();
    }
    try {
      JsonNode error = JSON.readTree(r.body()).path("error");
      boolean ok =
          !error.path("code").asText().isEmpty()
              && error
                  .path("request_id")
                  .asText()
                  .equals(r.headers().firstValue("X-Request-ID").orElse("none"));
      return ok ? null : "no envelope: " + answer(r);
    } catch (Exception ex) {
      return "not JSON: " + answer(r);
    }
  }

  private static String answer(HttpResponse<String> r) {
    return r.statusCode() + " " + r.version() + " " + r.headers().map() + " [" + r.body() + "]";
  }

  /** A request with one thing wrong (or several), chosen at random. */
  private HttpRequest badRequest(Endpoint e, String existing) {
    int kind = kind(e);
    String id = kind == 0 ? badId() : existing;
    String path = e.path().replace("{id}", id);
    String query = kind == 1 ? "?" + badQuery(e) : "";
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri(path) + query));
    String auth = kind == 2 ? badAuthorization() : "Bearer " + token;
    if (auth != null) {
      b.header("Authorization", auth);
    }
    String contentType = kind == 3 ? badContentType() : "application/json";
    String method = kind == 3 && !e.body() ? wrongMethod(e.method()) : e.method();
    String body = e.body() ? (kind == 4 ? badBody(e) : goodBody(e)) : null;
    if (body != null || method.equals("POST") || method.equals("PUT")) {
      b.header("Content-Type", contentType);
    }
    if (e.path().equals("api/v1/openapi.json") && kind != 1) {
      method = "POST"; // the document takes no input: a wrong method or a query is bad
    }
    return b.method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(bytes(body)))
        .build();
  }

  /**
   * What to spoil: 0 the id, 1 the query string, 2 the credentials, 3 the content type or method, 4
   * the body; only what the endpoint has.
   */
  private int kind(Endpoint e) {
    while (true) {
      int kind = random.nextInt(5);
      boolean applies =
          switch (kind) {
            case 0 -> e.path().contains("{id}");
            case 2 -> !e.path().equals("auth/login") && !e.path().equals("api/v1/openapi.json");
            case 4 -> e.body();
            default -> true;
          };
      if (applies) {
        return kind;
      }
    }
  }

  private byte[] bytes(String body) {
    if (random.nextInt(8) == 0) { // invalid UTF-8 in the middle
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      byte[] out = new byte[b.length + 2];
      System.arraycopy(b, 0, out, 0, b.length / 2);
      out[b.length / 2] = (byte) 0xC3;
      out[b.length / 2 + 1] = (byte) 0x28;
      System.arraycopy(b, b.length / 2, out, b.length / 2 + 2, b.length - b.length / 2);
      return out;
    }
    return body.getBytes(StandardCharsets.UTF_8);
  }

  private String pick(String... options) {
    return options[random.nextInt(options.length)];
  }

  private String badId() {
    return pick(
        "task_",
        "task_not-a-uuid",
        "123",
        "task_00000000-0000-0000-0000-000000000000",
        "00000000-0000-0000-0000-000000000000",
        "%2e%2e",
        "task_" + "a".repeat(300),
        URLEncoder.encode("task_<script>", StandardCharsets.UTF_8),
        "%00",
        "task_%20");
  }

  private String badQuery(Endpoint e) {
    if (e.method().equals("GET") && e.path().equals("api/v1/tasks")) {
      return pick(
          "status=done",
          "status=",
          "status=pending,,completed",
          "limit=0",
          "limit=101",
          "limit=-5",
          "limit=abc",
          "limit=99999999999",
          "offset=-1",
          "offset=x",
          "sort_by=name",
          "sort_by=created_at;drop",
          "sort_order=up",
          "task_type=",
          "limt=5",
          "status=" + "x".repeat(2000),
          "offset=1e3",
          "limit=%00");
    }
    if (e.method().equals("GET") && e.path().equals("api/v1/schedules")) {
      return pick("limit=0", "limit=101", "limit=abc", "offset=-1", "offset=x", "x=1", "a=%00&b=");
    }
    return pick("x=1", "limit=5", "debug=true", "a=%00&b=");
  }

  private String badAuthorization() {
    return pick(
        null,
        "",
        "Bearer",
        "Bearer ",
        "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
        "Bearer not.a.jwt",
        "Bearer " + token.substring(0, token.length() - 3) + "abc",
        "Bearer " + token + "x",
        "bearer" + token,
        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
        "Bearer " + "a".repeat(5000));
  }

  private String badContentType() {
    return pick(
        "text/plain",
        "application/xml",
        "a/b/c",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "",
        "application/json-patch+json",
        "*/*");
  }

  private static String wrongMethod(String method) {
    return method.equals("GET") ? "DELETE" : "PUT";
  }

  private String goodBody(Endpoint e) {
    return switch (e.path()) {
      case "api/v1/tasks" -> "{\"task_type\": \"no_such_type\"}"; // valid JSON, bad content
      case "api/v1/agent-task" -> "{\"caylex_api_key\": \"ck_acme\", \"user_email\": \"x\"}";
      case "auth/login" -> "{\"username\": \"u\", \"password\": \"p\"}"; // wrong credentials
      default -> "{\"force\": \"yes\"}";
    };
  }

  private String badBody(Endpoint e) {
    return pick(
        "",
        "null",
        "[]",
        "42",
        "\"text\"",
        "{",
        "{\"task_type\": ",
        "{]",
        "{\"a\":1}}",
        "[".repeat(5000) + "]".repeat(5000),
        "{\"priority\": 1e400, \"task_type\": \"x\"}",
        "{\"task_type\": null, \"priority\": null}",
        "{\"task_type\": [\"research_agent\"]}",
        "{\"task_type\": \"research_agent\", \"priority\": 0}",
        "{\"task_type\": \"research_agent\", \"priority\": \"high\"}",
        "{\"task_type\": \"research_agent\", \"webhook_url\": \"javascript:alert(1)\"}",
        "{\"task_type\": \"research_agent\", \"webhook_url\": \"http://[::1\"}",
        "{\"task_type\": \"research_agent\", \"metadata\": [1, 2]}",
        "{\"task_type\": \"research_agent\", \"input\": \"" + "x".repeat(1_100_000) + "\"}",
        "{\"task_type\": \"bad type with spaces\"}",
        "{\"task_type\": \"\\u0000\"}",
        "{\"reason\": 5, \"force\": \"sometimes\"}",
        "{\"caylex_api_key\": {}, \"prompt\": []}",
        "{\"username\": 1, \"password\": null}",
        "{\"sso_token\": \"x\"}",
        "{\"caylex_api_key\": \"ck_acme\", \"user_email\": \"a@b.co\", \"prompt\": \"p\","
            + " \"skill_ref\": \"missing\"}",
        "{\"task_type\": \"research_agent\", \"task_type\": \"research_agent\"}",
        "\uFEFF{\"task_type\": \"x\"}",
        "{'task_type': 'x'}",
        "{\"task_type\": \"x\",}");
  }
}
