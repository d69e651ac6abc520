package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.TaskEngine;
import dev.errand.agent.AgentResult;
import dev.errand.store.memory.InMemoryTaskStore;
import dev.errand.testkit.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The security log (dev.errand.http.security, read from the test's slf4j-simple output on
 * System.err): a line for each failed sign-in and each 401, 403 and 429, with the request id and
 * the client's address, never a password, token or key; a flood from one address is summed up.
 */
class SecurityLogApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "pw-right-7f3a9c";
  private static final String WRONG_PASSWORD = "pw-wrong-c41d2e";
  private static final String FORGED_TOKEN = "eyJforged.token-value-9b8e.sig";
  private static final String OTHER_ORGS_KEY = "ck_globex_secret_55aa";
  private static final String FROM = "127.0.3.4";
  private static final String ELSEWHERE = "127.0.3.5";

  private final MutableClock clock = MutableClock.create();
  private final PrintStream stderr = System.err;
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  private TaskEngine engine;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    engine =
        TaskEngine.builder()
            .store(new InMemoryTaskStore())
            .agent("agent", ctx -> AgentResult.completed(null))
            .build();
    CredentialCheck users = TestUsers.jane(PASSWORD);
    server =
        TestServer.start(
            ErrandFeature.builder(engine)
                .tokens(
                    JwtTokens.builder(
                            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8))
                        .clock(clock)
                        .build())
                .login(users)
                .agentTasks(
                    AgentTasks.builder()
                        .apiKeys(ApiKeys.of(Map.of("ck_acme", "acme", OTHER_ORGS_KEY, "globex")))
                        .defaultModel("demo")
                        .build())
                .rateLimits(
                    RateLimits.defaults()
                        .with(RateLimits.Endpoint.LIST_TASKS, new RateLimits.Limit(1, 1)))
                .clock(clock)
                .build());
    System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() throws Exception {
    System.setErr(stderr);
    server.close();
    engine.close();
  }

  private LoopbackClient.Answer send(String method, String path, String bearer, String body)
      throws Exception {
    return LoopbackClient.send(FROM, server.port(), method, path, body, bearer);
  }

  private LoopbackClient.Answer signIn(String password) throws Exception {
    return signIn(FROM, password);
  }

  private LoopbackClient.Answer signIn(String from, String password) throws Exception {
    String body =
        JSON.createObjectNode()
            .put("username", "jane@acme.test")
            .put("password", password)
            .toString();
    return LoopbackClient.send(from, server.port(), "POST", "/auth/login", body);
  }

  private List<String> securityLines() {
    return logged
        .toString(StandardCharsets.UTF_8)
        .lines()
        .filter(l -> l.contains(ErrandFeature.SECURITY_LOG))
        .toList();
  }

  /** The one security line of the answer, found by its request id. */
  private String lineOf(LoopbackClient.Answer answer, int status) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    String id = answer.header("X-Request-ID");
    List<String> lines = securityLines().stream().filter(l -> l.contains(id)).toList();
    assertThat(lines).as("lines with %s in:%n%s", id, logged).hasSize(1);
    return lines.get(0);
  }

  @Test
  void failedSignInsAnd401And403And429AreLoggedWithRequestIdAndAddressButNoSecret()
      throws Exception {
    String failed = lineOf(signIn(WRONG_PASSWORD), 401);
    String token = JSON.readTree(signIn(PASSWORD).body()).path("access_token").asText();
    String unauthorized = lineOf(send("GET", "/api/v1/tasks", FORGED_TOKEN, null), 401);
    String forbidden =
        lineOf(
            send(
                "POST",
                "/api/v1/agent-task",
                token,
                "{\"caylex_api_key\": \""
                    + OTHER_ORGS_KEY
                    + "\", \"user_email\": \"a@acme.test\","
                    + " \"prompt\": \"p\"}"),
            403);
    assertThat(send("GET", "/api/v1/tasks?limit=5", token, null).status()).isEqualTo(200);
    String limited = lineOf(send("GET", "/api/v1/tasks?limit=5", token, null), 429);
    for (int i = 0; i < 3; i++) { // from another address: each logs 5 lines a minute at most
      signIn(ELSEWHERE, WRONG_PASSWORD);
    }
    String heldBack = lineOf(signIn(ELSEWHERE, PASSWORD), 429);

    assertThat(failed)
        .contains(" INFO ", "sign-in failed: 401 UNAUTHORIZED", "user=\"jane@acme.test\"")
        .contains("source=" + FROM, "POST /auth/login");
    assertThat(unauthorized).contains("unauthorized: 401 UNAUTHORIZED", "GET /api/v1/tasks");
    assertThat(forbidden).contains("forbidden: 403 FORBIDDEN", "POST /api/v1/agent-task");
    assertThat(limited)
        .contains("rate limited: 429 RATE_LIMIT_EXCEEDED", "GET /api/v1/tasks:")
        .doesNotContain("limit=5");
    assertThat(heldBack).contains("sign-in held back: 429 RATE_LIMIT_EXCEEDED", "retry after 1 s");
    for (String line : List.of(failed, unauthorized, forbidden, limited)) {
      assertThat(line).contains("source=" + FROM, "request_id=req_");
    }
    assertThat(heldBack).contains("source=" + ELSEWHERE, "request_id=req_");
    assertThat(String.join("\n", securityLines()))
        .doesNotContain(PASSWORD, WRONG_PASSWORD, FORGED_TOKEN, token, OTHER_ORGS_KEY)
        .doesNotContain("Bearer", "Authorization");
  }

  @Test
  void aFloodFromOneAddressIsSummedUpInALineAMinute() throws Exception {
    for (int i = 0; i < 50; i++) { // 3 failures, then held back
      signIn(WRONG_PASSWORD + i);
    }
    assertThat(securityLines()).as("a minute's lines for one address").hasSize(5);

    clock.advance(Duration.ofMinutes(1));
    signIn(WRONG_PASSWORD);
    List<String> lines = securityLines();
    assertThat(lines).hasSize(7);
    assertThat(lines.get(5))
        .contains("45 more events in the minute from 2026-01-05T09:00:00Z were not logged")
        .contains("by status {429=45}", "from 1 addresses");
    assertThat(lines.get(6)).contains("sign-in failed");
  }
}
