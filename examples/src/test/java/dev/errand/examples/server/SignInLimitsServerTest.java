package dev.errand.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server tells the API each client's address: wrong passwords from one address hold
 * back that address (even with the right password) while the user signs in from another, and the
 * security log names the address. Clients bind to 127.0.0.N, all loopback on Linux; the server
 * hashes passwords at its real cost, so the test makes few attempts.
 */
class SignInLimitsServerTest {
  private static final String GUESSER = "127.0.0.2";
  private static final String USER = "127.0.0.3";

  @TempDir Path data;

  @Test
  void guessesFromOneAddressHoldItBackWhileTheUserSignsInFromAnother() throws Exception {
    PrintStream stderr = System.err;
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    try (StartedServer server = StartedServer.start(data)) {
      String password = server.password();
      System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
      String answer = "";
      int failures = 0;
      for (; failures < 6; failures++) { // each check takes a PBKDF2 hash
        answer = signIn(server, GUESSER, "wrong-guess-" + failures);
        if (!answer.startsWith("HTTP/1.1 401")) {
          break;
        }
      }
      String rightFromGuesser = signIn(server, GUESSER, password);
      String rightFromUser = signIn(server, USER, password);
      System.setErr(stderr);

      assertThat(failures).as("wrong passwords checked before a delay").isEqualTo(3);
      assertThat(answer).startsWith("HTTP/1.1 429").contains("Retry-After: 1");
      assertThat(rightFromGuesser).as("the guessing address waits").startsWith("HTTP/1.1 429");
      assertThat(rightFromUser).startsWith("HTTP/1.1 200").contains("access_token");
      List<String> lines =
          logged
              .toString(StandardCharsets.UTF_8)
              .lines()
              .filter(l -> l.contains("dev.errand.http.security"))
              .toList();
      assertThat(lines)
          .as("the security log")
          .hasSize(5)
          .allSatisfy(l -> assertThat(l).contains("source=" + GUESSER, "request_id=req_"))
          .noneSatisfy(l -> assertThat(l).contains(password))
          .noneSatisfy(l -> assertThat(l).contains("wrong-guess"));
      assertThat(lines.get(0))
          .contains("INFO", "sign-in failed: 401", "user=\"" + ServerConfig.DEV_USER + "\"");
    } finally {
      System.setErr(stderr);
    }
  }

  private static String signIn(StartedServer server, String from, String password)
      throws IOException {
    return ApiCalls.signInFrom(from, server.server().port(), ServerConfig.DEV_USER, password);
  }
}
