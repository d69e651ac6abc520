package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.TaskEngine;
import dev.errand.agent.AgentResult;
import dev.errand.store.memory.InMemoryTaskStore;
import dev.errand.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Regression (issue 14): five wrong passwords for a username, or 75 sign-ins with made-up names,
 * made the right password wait (429). Over real sockets from many loopback addresses, against the
 * feature on Jetty with its default sign-in limits and the API's clock moved by the test. The
 * password check is a cheap comparison instead of a slow hash, which changes the time each check
 * takes and nothing the limits decide.
 */
class SignInUnderAttackTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USER = "jane@acme.test";
  private static final String PASSWORD = "correct horse battery staple";
  private static final String USER_ADDRESS = "127.0.0.1";

  private final MutableClock clock = MutableClock.create();
  private TaskEngine engine;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    engine =
        TaskEngine.builder()
            .store(new InMemoryTaskStore())
            .agent("research_agent", ctx -> AgentResult.completed(null))
            .build();
    JwtTokens tokens =
        JwtTokens.builder("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8))
            .clock(clock)
            .build();
    server =
        TestServer.start(
            ErrandFeature.builder(engine)
                .tokens(tokens)
                .login(SignInUnderAttackTest::check)
                .clock(clock)
                .build());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    engine.close();
  }

  /** Compares in constant time, known name or not, as a real check hashes for both. */
  private static Optional<Caller> check(String username, char[] password) {
    boolean right =
        MessageDigest.isEqual(
            new String(password).getBytes(StandardCharsets.UTF_8),
            PASSWORD.getBytes(StandardCharsets.UTF_8));
    return right && username.equals(USER)
        ? Optional.of(new Caller("acme", USER))
        : Optional.empty();
  }

  private static String login(String username, String password) {
    return JSON.createObjectNode().put("username", username).put("password", password).toString();
  }

  private LoopbackClient.Answer signIn(String from, String username, String password)
      throws Exception {
    return LoopbackClient.send(
        from, server.port(), "POST", "/auth/login", login(username, password));
  }

  /** Sends {@code count} sign-ins, {@code n}th from {@code address(n)}, 8 at a time. */
  private Map<Integer, Integer> flood(
      int count, IntFunction<String> address, IntFunction<String> name) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        answers.add(
            pool.submit(() -> signIn(address.apply(n), name.apply(n), "guess-" + n).status()));
      }
      Map<Integer, Integer> byStatus = new TreeMap<>();
      for (Future<Integer> answer : answers) {
        byStatus.merge(answer.get(), 1, Integer::sum);
      }
      return byStatus;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theRightPasswordSignsInAfterAThousandGuessesFromElsewhereAndAThousandMadeUpNames()
      throws Exception {
    long started = System.nanoTime();
    Map<Integer, Integer> guesses = flood(1000, LoopbackClient::address, n -> USER);
    Map<Integer, Integer> madeUp =
        flood(1000, n -> LoopbackClient.address(1000 + n), n -> "nobody-" + UUID.randomUUID());
    LoopbackClient.Answer again = signIn(LoopbackClient.address(0), USER, "one more guess");
    LoopbackClient.Answer user = signIn(USER_ADDRESS, USER, PASSWORD);
    System.out.printf(
        "SignInUnderAttackTest: 1000 guesses for %s from 1000 addresses %s, 1000 made-up names %s,"
            + " a second guess from a guessing address %d, the user %d; %d ms%n",
        USER,
        guesses,
        madeUp,
        again.status(),
        user.status(),
        Duration.ofNanos(System.nanoTime() - started).toMillis());

    assertThat(guesses).as("each address's first guess is checked").isEqualTo(Map.of(401, 1000));
    assertThat(madeUp).isEqualTo(Map.of(401, 1000));
    assertThat(again.status())
        .as("an address that failed, for a username failing everywhere")
        .isEqualTo(429);
    assertThat(user.status()).as(user.body()).isEqualTo(200);
    assertThat(JSON.readTree(user.body()).path("access_token").asText()).isNotEmpty();
  }

  @Test
  void failuresFromOneAddressAreSlowedMoreEachTimeAndThenRefused() throws Exception {
    String attacker = LoopbackClient.address(7);
    List<Long> waits = new ArrayList<>();
    int checked = 0;
    LoopbackClient.Answer answer;
    for (int attempt = 0; ; attempt++) {
      answer = signIn(attacker, "user" + attempt % 5 + "@acme.test", "guess");
      if (answer.status() == 401) {
        checked++;
        continue;
      }
      assertThat(answer.status()).as(answer.body()).isEqualTo(429);
      long wait = Long.parseLong(answer.header("Retry-After"));
      if (answer.body().contains("refused")) {
        break;
      }
      waits.add(wait);
      clock.advance(Duration.ofSeconds(wait));
    }
    long refusedFor = Long.parseLong(answer.header("Retry-After"));
    System.out.printf(
        "SignInUnderAttackTest: one address, %d failures checked, then waits %s s, then refused"
            + " for %d s%n",
        checked, waits, refusedFor);

    assertThat(checked).as("failures before the address is refused").isEqualTo(20);
    assertThat(waits).isSorted().hasSizeGreaterThan(5);
    assertThat(waits.get(waits.size() - 1)).isGreaterThan(waits.get(0));
    assertThat(refusedFor).isEqualTo(3600);
    assertThat(signIn(attacker, USER, PASSWORD).status())
        .as("a refused address is refused whatever it sends")
        .isEqualTo(429);
    assertThat(signIn(USER_ADDRESS, USER, PASSWORD).status()).isEqualTo(200);

    clock.advance(Duration.ofSeconds(refusedFor));
    assertThat(signIn(attacker, "user0@acme.test", "guess").status())
        .as("an hour after its last failure")
        .isEqualTo(401);
  }
}
