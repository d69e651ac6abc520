package dev.errand.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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
  private String apiKey;

  /** Where the clients' own dependencies are put, kept between runs. */
  private static final Path DEPS = Path.of("target", "client-deps").toAbsolutePath();

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
    Matcher key =
        Pattern.compile("API key for /api/v1/agent-task: (\\S+)")
            .matcher(out.toString(StandardCharsets.UTF_8));
    assertThat(key.find()).isTrue();
    apiKey = key.group(1);
  }

  private String token() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\": \""
                            + ServerConfig.DEV_USER
                            + "\", \"password\": \""
                            + password
                            + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(r.body()).path("access_token").asText();
  }

  private String base() {
    return "http://127.0.0.1:" + server.port();
  }

  private Map<String, String> agentTaskEnv() throws Exception {
    return Map.of("ERRAND_BASE_URL", base(), "ERRAND_TOKEN", token(), "ERRAND_API_KEY", apiKey);
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
  void theAgentTaskDocumentsPythonExamplePollsToAFinalStatus() throws Exception {
    Map<String, String> env = new HashMap<>(agentTaskEnv());
    if (!importsHttpx()) {
      Path root = DEPS.resolve("python");
      if (!Files.isDirectory(root.resolve("root"))) {
        run(Map.of(), "sh", client("fetch-httpx.sh").toString(), root.toString());
      }
      env.put("PYTHONPATH", root.resolve("root/usr/lib/python3/dist-packages").toString());
    }
    String output = run(env, "python3", client("agent_task_client.py").toString());
    assertThat(output).contains("'status': 'COMPLETED'").contains("'tool_calls_made': 2");
  }

  private static boolean importsHttpx() throws Exception {
    Process p = new ProcessBuilder("python3", "-c", "import httpx").start();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  @Test
  void theAgentTaskDocumentsTypeScriptExamplePollsToAFinalStatus() throws Exception {
    Path ts = DEPS.resolve("ts");
    if (!Files.isDirectory(ts.resolve("node_modules/typescript"))) {
      run(
          Map.of(),
          "npm",
          "install",
          "--no-save",
          "--no-audit",
          "--no-fund",
          "--prefix",
          ts.toString(),
          "typescript@5.9.3");
    }
    Path js = data.resolve("agent-task-client.mjs");
    run(
        Map.of(),
        "node",
        client("transpile.cjs").toString(),
        ts.resolve("node_modules/typescript").toString(),
        client("agent-task-client.ts").toString(),
        js.toString());
    String output = run(agentTaskEnv(), "node", js.toString());
    assertThat(output).contains("\"status\":\"COMPLETED\"").contains("\"tool_calls_made\":2");
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
