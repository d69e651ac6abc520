package dev.errand.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.TaskStatus;
import dev.errand.llm.FakeProvider.Reply;
import dev.errand.store.jdbc.JdbcTaskStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tool's credential and the provider's key never reach the database files or the logs, and a
 * cancelled task aborts the model call under way; on the embedded H2 database with real threads.
 */
class LlmAgentSecretsTest {
  private static final String PROVIDER_KEY = "sk-provider-7d1e5c0b9a";
  private static final String CREDENTIAL = "mailbox-token-3f9c2a8e41";
  private static final String MARKER = "prompt-marker-5b8d";

  @TempDir Path dir;

  private final List<String> seenByTool = new CopyOnWriteArrayList<>();

  private final Tool mailbox =
      new Tool() {
        @Override
        public String name() {
          return "mailbox";
        }

        @Override
        public String description() {
          return "Counts the user's unread mail.";
        }

        @Override
        public JsonNode parameters() {
          return JsonNodeFactory.instance.objectNode().put("type", "object");
        }

        @Override
        public String call(JsonNode arguments, ToolCall call) throws IOException {
          Optional<String> credential = call.credential();
          credential.ifPresent(seenByTool::add);
          if (credential.isEmpty()) {
            return "the mailbox is not connected";
          }
          if (arguments.path("fail").asBoolean()) { // a careless error that quotes the token
            throw new IOException("GET https://mail.test/?token=" + credential.get() + " failed");
          }
          return "3 unread messages (token " + credential.get() + " accepted)";
        }
      };

  @Test
  void aToolsCredentialAndTheProvidersKeyAreNeitherStoredNorLogged() throws Exception {
    List<Reply> replies =
        new ArrayList<>(
            List.of(
                Reply.status(500, Map.of(), "{}"), // so that the client logs a retry
                Reply.tools("mailbox", "{}"),
                Reply.tools("mailbox", "{\"fail\": true}"),
                Reply.text("You have 3 unread messages.", 5)));
    Path data = dir.resolve("db");
    try (FakeProvider provider = FakeProvider.start(r -> replies.remove(0))) {
      ChatClient client =
          ChatClient.builder(provider.baseUrl(), PROVIDER_KEY).sleeper((d, abort) -> {}).build();
      LlmAgent agent =
          LlmAgent.builder(client, "test/model")
              .tools(List.of(mailbox))
              .credentials(
                  (org, user, tool) ->
                      org.equals("acme") && user.equals("jane@acme.test") && tool.equals("mailbox")
                          ? Optional.of(CREDENTIAL)
                          : Optional.empty())
              .build();
      try (TaskEngine engine =
          TaskEngine.builder()
              .store(JdbcTaskStore.h2File(data))
              .closeStoreOnClose(true)
              .agent("agent", agent)
              .build()) {
        engine.start();
        Task task =
            engine.submit(
                TaskRequest.builder("agent")
                    .organizationId("acme")
                    .input(
                        Map.of(
                            "prompt", "Check my mail. " + MARKER, "user_email", "jane@acme.test"))
                    .build());
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> engine.get(task.id()).status() == TaskStatus.COMPLETED);
        assertThat(engine.get(task.id()).report()).isEqualTo("You have 3 unread messages.");
      }
      JsonNode last = provider.requests().get(provider.requests().size() - 1);
      assertThat(last.toString())
          .as("what the model was told")
          .contains("3 unread messages (token [redacted] accepted)")
          .contains("token=[redacted] failed")
          .doesNotContain(CREDENTIAL);
    }
    assertThat(seenByTool)
        .as("the tool had the credential")
        .containsExactly(CREDENTIAL, CREDENTIAL);

    byte[] database = allBytes(data);
    assertThat(contains(database, MARKER)).as("the scan finds what is stored").isTrue();
    assertThat(contains(database, "3 unread messages (token [redacted] accepted)")).isTrue();
    assertThat(contains(database, CREDENTIAL)).isFalse();
    assertThat(contains(database, PROVIDER_KEY)).isFalse();

    String log = Files.readString(Path.of("target", "test.log"));
    assertThat(log).as("the scan finds what is logged").contains("model call attempt 1 failed");
    assertThat(log).doesNotContain(CREDENTIAL).doesNotContain(PROVIDER_KEY);
  }

  @Test
  void cancellingTheTaskAbortsTheModelCallUnderWay() throws Exception {
    cancelDuringAModelCall(false);
    cancelDuringAModelCall(true);
  }

  private void cancelDuringAModelCall(boolean force) throws Exception {
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      CompletableFuture<String> connection = new CompletableFuture<>();
      CountDownLatch requestRead = new CountDownLatch(1);
      Thread listener =
          new Thread(
              () -> {
                try (Socket s = server.accept()) {
                  InputStream in = s.getInputStream();
                  readHead(in);
                  requestRead.countDown();
                  // no answer; wait to see whether the client closes the connection
                  s.setSoTimeout(30_000);
                  while (in.read() != -1) {
                    // the rest of the request body
                  }
                  connection.complete("closed by the client");
                } catch (IOException e) {
                  connection.complete("error: " + e);
                }
              });
      listener.setDaemon(true);
      listener.start();
      URI base = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1");
      LlmAgent agent =
          LlmAgent.builder(ChatClient.builder(base, PROVIDER_KEY).build(), "m").build();
      try (TaskEngine engine =
          TaskEngine.builder()
              .store(new dev.errand.store.memory.InMemoryTaskStore())
              .agent("agent", agent)
              .build()) {
        engine.start();
        Task task =
            engine.submit(TaskRequest.builder("agent").input(Map.of("prompt", "Wait.")).build());
        assertThat(requestRead.await(10, TimeUnit.SECONDS))
            .as("the model call is under way")
            .isTrue();
        engine.cancel(task.id(), "no longer needed", force);
        assertThat(connection.get(20, TimeUnit.SECONDS))
            .as("force " + force)
            .isEqualTo("closed by the client");
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> engine.get(task.id()).status() == TaskStatus.CANCELLED);
      }
    }
  }

  @Test
  void anApiKeyWithALineBreakIsRefusedWithoutBeingQuoted() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ChatClient.builder(URI.create("https://x.test/v1"), PROVIDER_KEY + "\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trailing newline")
        .hasMessageNotContaining(PROVIDER_KEY);
  }

  private static void readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b == -1) {
        throw new IOException("request ended early");
      }
      head.append((char) b);
    }
  }

  private static byte[] allBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        all.write(Files.readAllBytes(f));
      }
      return all.toByteArray();
    }
  }

  private static boolean contains(byte[] haystack, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + n.length <= haystack.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (haystack[i + j] != n[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
