package dev.errand.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API documents' own sample clients, run by their own runtimes against the standalone server,
 * changed only in base URL and credentials (src/test/resources/clients).
 */
class SampleClientsTest {
  @TempDir Path data;
  private ErrandServer server;
  private String password;

  @BeforeEach
  void start() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    server =
        ErrandServer.start(
            ServerOptions.parse(
                List.of("--data", data.toString(), "--port", "0", "--demo-step-pause-ms", "300")),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    Matcher m = Pattern.compile("password: (\\S+)").matcher(out.toString(StandardCharsets.UTF_8));
    assertThat(m.find()).isTrue();
    password = m.group(1);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Runs a program to its end (at most a minute) and returns what it printed. */
  private String run(Map<String, String> env, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String output;
    try (InputStream in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished: " + output).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    return output;
  }

  private Path client(String name) throws IOException {
    Path file = data.resolve(name);
    try (InputStream in = SampleClientsTest.class.getResourceAsStream("/clients/" + name)) {
      Files.copy(in, file);
    }
    return file;
  }

  @Test
  void theTaskDocumentsFetchCallsRunToTheirEnd() throws Exception {
    String output =
        run(
            Map.of(
                "ERRAND_BASE_URL",
                "http://127.0.0.1:" + server.port(),
                "ERRAND_USERNAME",
                ServerConfig.DEV_USER,
                "ERRAND_PASSWORD",
                password),
            "node",
            client("tasks-api.mjs").toString());
    assertThat(output)
        .contains("status: 'accepted'")
        .contains("task_type: 'research_agent'")
        .contains("pagination:")
        .contains("cancel_requested: true")
        .contains("websocket_token_received: true")
        // right after a graceful cancel the task is still stopping, so results may not be ready
        .containsAnyOf("results:", "code: 'TASK_NOT_FINISHED'")
        .doesNotContain("UNAUTHORIZED", "TASK_VALIDATION_FAILED", "INTERNAL_ERROR");
  }
}
