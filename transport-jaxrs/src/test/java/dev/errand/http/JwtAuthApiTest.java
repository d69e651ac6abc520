package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.errand.TaskEngine;
import dev.errand.agent.AgentResult;
import dev.errand.store.memory.InMemoryTaskStore;
import dev.errand.testkit.MutableClock;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Login, bearer tokens and their refusal, over HTTP. */
class JwtAuthApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] SECRET =
      "0123456789abcdef0123456789abcdef-test-secret".getBytes(StandardCharsets.UTF_8);

  private final MutableClock clock = MutableClock.create();
  private final HttpClient http = HttpClient.newHttpClient();
  private final JwtTokens tokens = JwtTokens.builder(SECRET).clock(clock).build();
  private TaskEngine engine;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    engine =
        TaskEngine.builder()
            .store(new InMemoryTaskStore())
            .agent("research_agent", ctx -> AgentResult.completed(null))
            .build();
    CredentialCheck users = TestUsers.jane("s3cret");
    server =
        TestServer.start(
            ErrandFeature.builder(engine).tokens(tokens).login(users).clock(clock).build());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    engine.close();
  }

  private HttpResponse<String> post(String path, String bearer, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private int submitWith(String token) throws Exception {
    return post("api/v1/tasks", token, "{\"task_type\": \"research_agent\"}").statusCode();
  }

  private String login() throws Exception {
    HttpResponse<String> r =
        post("auth/login", null, "{\"username\": \"jane@acme.test\", \"password\": \"s3cret\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.path("expires_in").asLong()).isEqualTo(3600);
    return body.path("access_token").asText();
  }

  private static String signed(JWTClaimsSet claims, byte[] secret) throws Exception {
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("at+jwt")).build();
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(new MACSigner(secret));
    return jwt.serialize();
  }

  private JWTClaimsSet.Builder validClaims() {
    return new JWTClaimsSet.Builder()
        .issuer("errand")
        .audience("errand-api")
        .subject("mallory")
        .claim("org", "acme")
        .claim("ver", 0L)
        .issueTime(Date.from(clock.instant()))
        .expirationTime(Date.from(clock.instant().plusSeconds(600)));
  }

  @Test
  void aLoggedInUserSubmitsWithTheAccessToken() throws Exception {
    String token = login();
    assertThat(submitWith(token)).isEqualTo(202);
  }

  @Test
  void wrongPasswordAndMissingFieldsAreRefused() throws Exception {
    HttpResponse<String> wrong =
        post("auth/login", null, "{\"username\": \"jane@acme.test\", \"password\": \"nope\"}");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(wrong.body()).path("error").path("code").asText())
        .isEqualTo("UNAUTHORIZED");
    HttpResponse<String> huge =
        post(
            "auth/login", null, "{\"username\": \"" + "u".repeat(255) + "\", \"password\": \"p\"}");
    assertThat(huge.statusCode()).isEqualTo(400);
    HttpResponse<String> empty = post("auth/login", null, "{}");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(empty.body()).path("error").path("details").path("invalid_fields"))
        .extracting(JsonNode::asText)
        .containsExactly("username", "password");
  }

  @Test
  void guessingAPasswordIsSlowedPerUsernameAndAddress() throws Exception {
    String wrong = "{\"username\": \"jane@acme.test\", \"password\": \"guess\"}";
    for (int i = 0; i < 3; i++) {
      assertThat(post("auth/login", null, wrong).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> limited = post("auth/login", null, wrong);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).contains("1");
    assertThat(
            post("auth/login", null, "{\"username\": \"JANE@acme.test\", \"password\": \"s3cret\"}")
                .statusCode())
        .as("the right password from the guessing address waits too, whatever the case")
        .isEqualTo(429);
    assertThat(
            post("auth/login", null, "{\"username\": \"other@acme.test\", \"password\": \"x\"}")
                .statusCode())
        .as("another username from the address is checked")
        .isEqualTo(401);
    clock.advance(Duration.ofSeconds(1));
    login();
  }

  @Test
  void anExpiredTokenIsRefusedAfterTheLeeway() throws Exception {
    String token = login();
    clock.advance(Duration.ofHours(1).plusSeconds(29));
    assertThat(submitWith(token)).as("inside the 30 s leeway").isEqualTo(202);
    clock.advance(Duration.ofSeconds(2));
    assertThat(submitWith(token)).isEqualTo(401);
    for (String stream :
        List.of("api/v1/events", "api/v1/tasks/task_" + UUID.randomUUID() + "/events")) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(server.uri(stream))
                  .header("Authorization", "Bearer " + token)
                  .header("Accept", "text/event-stream")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("event stream " + stream).isEqualTo(401);
    }
  }

  @Test
  void aTokenNotYetValidIsRefused() throws Exception {
    String early =
        signed(
            validClaims().notBeforeTime(Date.from(clock.instant().plusSeconds(60))).build(),
            SECRET);
    assertThat(submitWith(early)).isEqualTo(401);
  }

  @Test
  void forgedAndMisdirectedTokensAreRefused() throws Exception {
    assertThat(submitWith(signed(validClaims().build(), SECRET))).as("control").isEqualTo(202);
    byte[] other = "another-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);
    assertThat(submitWith(signed(validClaims().build(), other)))
        .as("wrong signature")
        .isEqualTo(401);
    assertThat(submitWith(new PlainJWT(validClaims().build()).serialize()))
        .as("alg none")
        .isEqualTo(401);
    assertThat(submitWith(signed(validClaims().audience("someone-else").build(), SECRET)))
        .as("wrong audience")
        .isEqualTo(401);
    assertThat(submitWith(signed(validClaims().issuer("evil").build(), SECRET)))
        .as("wrong issuer")
        .isEqualTo(401);
    assertThat(submitWith(signed(validClaims().expirationTime(null).build(), SECRET)))
        .as("no expiry")
        .isEqualTo(401);
    assertThat(submitWith(signed(validClaims().claim("org", null).build(), SECRET)))
        .as("no organization")
        .isEqualTo(401);
    assertThat(submitWith("not.a.jwt")).isEqualTo(401);
  }

  @Test
  void aWebSocketTokenIsNotAnAccessToken() throws Exception {
    HttpResponse<String> r = post("api/v1/websocket-auth", login(), "");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String socketToken = JSON.readTree(r.body()).path("websocket_token").asText();
    assertThat(tokens.verifySocketToken(socketToken))
        .contains(new Caller("acme", "jane@acme.test"));
    assertThat(submitWith(socketToken)).isEqualTo(401);
    assertThat(post("api/v1/websocket-auth", null, "").statusCode()).isEqualTo(401);
  }

  @Test
  void shortSecretsAreRefused() {
    assertThatThrownBy(() -> JwtTokens.builder(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secret must be at least 32 bytes (256 bits) for HS256, was 31 bytes");
  }
}
