package dev.errand.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standalone server started on a free port in a data directory, with what it printed: on a
 * first start, the development user's password and the API key.
 */
record StartedServer(ErrandServer server, String printed) implements AutoCloseable {
  /** Starts it with the demo agents' pauses off, plus {@code options}. */
  static StartedServer start(Path data, String... options) throws Exception {
    return start(data, Map.of(), options);
  }

  /** Starts it with this environment, the demo agents' pauses off, plus {@code options}. */
  static StartedServer start(Path data, Map<String, String> env, String... options)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("--data", data.toString(), "--port", "0", "--demo-step-pause-ms", "0"));
    args.addAll(List.of(options));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ErrandServer server =
        ErrandServer.start(
            ServerOptions.parse(args), new PrintStream(out, true, StandardCharsets.UTF_8), env);
    return new StartedServer(server, out.toString(StandardCharsets.UTF_8));
  }

  /** The value printed after {@code label: }. */
  String printed(String label) {
    Matcher m = Pattern.compile(Pattern.quote(label) + ": (\\S+)").matcher(printed);
    assertThat(m.find()).as(label + " printed in:\n" + printed).isTrue();
    return m.group(1);
  }

  String password() {
    return printed("password");
  }

  String apiKey() {
    return printed("API key for /api/v1/agent-task");
  }

  String base() {
    return "http://127.0.0.1:" + server.port();
  }

  /** An access token of the development user, signing in with {@code password}. */
  String token(String password) throws Exception {
    return ApiCalls.login(base(), password);
  }

  @Override
  public void close() {
    server.close();
  }
}
