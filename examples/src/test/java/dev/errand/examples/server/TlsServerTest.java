package dev.errand.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS with a PKCS12 key store made by keytool: the server answers over TLS with that certificate,
 * and not over plain HTTP; a key store without its password is refused at start.
 */
class TlsServerTest {
  private static final String PASSWORD_ENV = "ERRAND_TEST_TLS_PASSWORD";

  @TempDir Path dir;

  @Test
  void theServerAnswersOverTlsWithTheKeyStoresCertificate() throws Exception {
    Path keystore = keytool();
    try (StartedServer server =
        StartedServer.start(
            dir.resolve("data"),
            "--tls-keystore",
            keystore.toString(),
            "--tls-password-env",
            PASSWORD_ENV)) {
      assertThat(server.printed()).contains("listening on https://");
      int port = server.server().port();
      HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
      HttpResponse<String> answer =
          trusting.send(
              HttpRequest.newBuilder(
                      URI.create("https://localhost:" + port + "/api/v1/openapi.json"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).contains("\"openapi\"");

      HttpClient plain = HttpClient.newHttpClient();
      assertThatThrownBy(
              () ->
                  plain.send(
                      HttpRequest.newBuilder(
                              URI.create("http://localhost:" + port + "/api/v1/openapi.json"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString()))
          .as("plain HTTP on the TLS port")
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void aKeyStoreWithoutItsPasswordIsRefused() {
    assertThatThrownBy(
            () -> ServerOptions.parse(List.of("--tls-keystore", dir.resolve("k.p12").toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--tls-keystore and --tls-password-env go together");
  }

  /** A key store with a self-signed certificate for localhost, made by the JDK's keytool. */
  private Path keytool() throws Exception {
    Path keystore = dir.resolve("server.p12");
    Path keytool =
        Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "errand",
                "-keyalg",
                "EC",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                System.getenv(PASSWORD_ENV))
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("keytool: %s", output).isZero();
    return keystore;
  }

  private static SSLContext trusting(Path keystore) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      trusted.load(in, System.getenv(PASSWORD_ENV).toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
