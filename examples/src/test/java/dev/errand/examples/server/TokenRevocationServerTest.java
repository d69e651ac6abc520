package dev.errand.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user signed out everywhere (token version raised in server.json) or disabled loses the tokens
 * they hold at the server's next start, though they are signed with the same secret.
 */
class TokenRevocationServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path data;

  @Test
  void raisingAUsersTokenVersionOrDisablingThemRefusesTheirTokens() throws Exception {
    String password;
    String token;
    try (StartedServer server = StartedServer.start(data)) {
      password = server.password();
      token = server.token(password);
      assertThat(listTasks(server, token)).isEqualTo(200);
    }

    changeDevUser(u -> u.put("token_version", 1));
    try (StartedServer server = StartedServer.start(data)) {
      assertThat(listTasks(server, token)).as("a token of the old version").isEqualTo(401);
      token = server.token(password);
      assertThat(listTasks(server, token)).as("a new sign-in").isEqualTo(200);
    }

    changeDevUser(u -> u.put("disabled", true));
    try (StartedServer server = StartedServer.start(data)) {
      assertThat(listTasks(server, token)).as("a disabled user's token").isEqualTo(401);
    }
  }

  private void changeDevUser(Consumer<ObjectNode> change) throws Exception {
    Path file = data.resolve("server.json");
    ObjectNode config = (ObjectNode) JSON.readTree(file.toFile());
    change.accept((ObjectNode) config.path("users").get(0));
    Files.write(file, JSON.writeValueAsBytes(config));
  }

  private static int listTasks(StartedServer server, String token) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.base() + "/api/v1/tasks"))
            .header("Authorization", "Bearer " + token)
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
