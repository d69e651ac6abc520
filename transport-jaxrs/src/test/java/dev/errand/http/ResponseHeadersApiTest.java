package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Headers that tell browsers and caches how to treat answers (issue 14, item 10): no cache keeps a
 * token, and no browser reads an answer as anything but its declared type.
 */
class ResponseHeadersApiTest extends ApiTestSupport {
  private static final String LOGIN =
      "{\"username\": \"jane@acme.test\", \"password\": \"s3cret\"}";

  @Override
  void configure(ErrandFeature.Builder feature) {
    feature
        .tokens(
            JwtTokens.builder(
                    "0123456789abcdef0123456789abcdef-test-secret".getBytes(StandardCharsets.UTF_8))
                .build())
        .login(TestUsers.jane("s3cret"));
  }

  @Test
  void tokenAnswersAreNotStoredByCaches() throws Exception {
    HttpResponse<String> login = send("POST", "auth/login", null, LOGIN);
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    assertThat(json(login).path("access_token").asText()).isNotEmpty();
    assertThat(login.headers().allValues("Cache-Control")).containsExactly("no-store");

    HttpResponse<String> socket = send("POST", "api/v1/websocket-auth", "acme", null);
    assertThat(socket.statusCode()).as(socket.body()).isEqualTo(200);
    assertThat(json(socket).path("websocket_token").asText()).isNotEmpty();
    assertThat(socket.headers().allValues("Cache-Control")).containsExactly("no-store");
  }

  @Test
  void everyAnswerForbidsContentSniffing() throws Exception {
    String task = submit("acme");
    Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
    answers.put("submit", send("POST", "api/v1/tasks", "acme", SUBMIT));
    answers.put("get", send("GET", "api/v1/tasks/" + task, "acme", null));
    answers.put("list", send("GET", "api/v1/tasks", "acme", null));
    answers.put("schedules", send("GET", "api/v1/schedules", "acme", null));
    answers.put("document", send("GET", "api/v1/openapi.json", null, null));
    answers.put("login", send("POST", "auth/login", null, LOGIN));
    answers.put("socket token", send("POST", "api/v1/websocket-auth", "acme", null));
    answers.put("no credentials", send("GET", "api/v1/tasks", null, null));
    answers.put(
        "wrong password",
        send(
            "POST", "auth/login", null, "{\"username\": \"jane@acme.test\", \"password\": \"x\"}"));
    answers.put("other organization", send("GET", "api/v1/tasks/" + task, "globex", null));
    answers.put("no route", send("GET", "api/v1/nowhere", "acme", null));
    answers.put("bad JSON", send("POST", "api/v1/tasks", "acme", "{\"task_type\": "));
    answers.put("wrong method", send("DELETE", "api/v1/tasks", "acme", null));
    answers.put(
        "too large",
        send("POST", "api/v1/tasks", "acme", "{\"input\": \"" + "x".repeat(2_000_000) + "\"}"));
    answers.forEach(
        (what, r) ->
            assertThat(r.headers().allValues("X-Content-Type-Options"))
                .as("%s, answered %d", what, r.statusCode())
                .containsExactly("nosniff"));
    assertThat(answers.values())
        .extracting(HttpResponse::statusCode)
        .containsExactly(202, 200, 200, 200, 200, 200, 200, 401, 401, 404, 404, 400, 405, 413);
    try (SseClient stream =
        SseClient.open(http, server.uri("api/v1/events"), "Bearer acme:jane", null)) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");
    }
  }
}
