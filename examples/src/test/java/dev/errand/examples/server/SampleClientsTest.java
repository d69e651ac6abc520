package dev.errand.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
  private StartedServer server;

  /** Where the clients' own dependencies are put, kept between runs. */
  private static final Path DEPS = Path.of("target", "client-deps").toAbsolutePath();

  @BeforeEach
  void start() throws Exception {
    server = StartedServer.start(data, "--demo-step-pause-ms", "300");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Map<String, String> agentTaskEnv() throws Exception {
    return Map.of(
        "ERRAND_BASE_URL", server.base(),
        "ERRAND_TOKEN", server.token(server.password()),
        "ERRAND_API_KEY", server.apiKey());
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

  /** Installs an npm package under {@code prefix}, from the npm registry. */
  private void npmInstall(Path prefix, String pkg) throws Exception {
    run(
        Map.of(),
        "npm",
        "install",
        "--no-save",
        "--no-audit",
        "--no-fund",
        "--prefix",
        prefix.toString(),
        pkg);
  }

  private static boolean importsHttpx() throws Exception {
    Process p = new ProcessBuilder("python3", "-c", "import httpx").start();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  @Test
  void theAgentTaskDocumentsTypeScriptExamplePollsToAFinalStatus() throws Exception {
    Path ts = DEPS.resolve("ts");
    if (!Files.isDirectory(ts.resolve("node_modules/typescript"))) {
      npmInstall(ts, "typescript@5.9.3");
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
                server.base(),
                "ERRAND_USERNAME",
                ServerConfig.DEV_USER,
                "ERRAND_PASSWORD",
                server.password()),
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

  @Test
  void theTaskDocumentsWebSocketExampleHandlesATasksUpdatesToItsEnd() throws Exception {
    Path ws = DEPS.resolve("ws");
    if (globalWebSocketMissing() && !Files.isDirectory(ws.resolve("node_modules/ws"))) {
      npmInstall(ws, "ws@8.18.3");
    }
    String output =
        run(
            Map.of(
                "ERRAND_BASE_URL", server.base(),
                "ERRAND_USERNAME", ServerConfig.DEV_USER,
                "ERRAND_PASSWORD", server.password(),
                "ERRAND_WS_DIR", ws.toString()),
            "node",
            client("tasks-websocket.mjs").toString());
    String id = output.replaceAll("(?s).*submitted (task_[0-9a-f-]+).*", "$1");
    assertThat(output)
        .contains("Task " + id + " started processing")
        .contains("Task " + id + " progress: ")
        .contains("Task " + id + " completed successfully")
        .contains("closed ")
        .doesNotContain("failed");
    assertThat(output.indexOf("started processing"))
        .isLessThan(output.indexOf("completed successfully"));
  }

  private boolean globalWebSocketMissing() throws Exception {
    return run(Map.of(), "node", "-e", "console.log(typeof WebSocket)").contains("undefined");
  }
}
