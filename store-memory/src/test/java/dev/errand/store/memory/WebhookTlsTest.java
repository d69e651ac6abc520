package dev.errand.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.agent.AgentResult;
import dev.errand.testkit.WebhookReceiver;
import dev.errand.webhook.WebhookDelivery;
import dev.errand.webhook.WebhookDelivery.Status;
import dev.errand.webhook.WebhookSecret;
import dev.errand.webhook.WebhookSecrets;
import dev.errand.webhook.WebhookUrlPolicy;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https webhooks against a receiver whose certificate (made by keytool for hooks.test) the engine
 * is told to trust: delivered when the URL names hooks.test (sent as SNI), refused without a
 * request when it names another host that resolves to the same address.
 */
class WebhookTlsTest {
  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir Path dir;
  private WebhookReceiver receiver;
  private TaskEngine engine;

  @BeforeEach
  void start() throws Exception {
    KeyStore keys = certificate();
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD);
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);
    InetAddress address = InetAddress.getByName("127.0.0.2");
    receiver = WebhookReceiver.start(address, server);

    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("hooks", keys.getCertificate("hooks"));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext client = SSLContext.getInstance("TLS");
    client.init(null, tmf.getTrustManagers(), null);
    WebhookUrlPolicy.Resolver resolver =
        host -> {
          if (host.endsWith(".test")) {
            return new InetAddress[] {address};
          }
          throw new UnknownHostException(host);
        };
    engine =
        TaskEngine.builder()
            .store(new InMemoryTaskStore())
            .agent("t", ctx -> AgentResult.completed(null))
            .webhookSecrets(WebhookSecrets.of(WebhookSecret.generate()))
            .webhookUrlPolicy(
                WebhookUrlPolicy.defaults().allowing("127.0.0.2/32").resolvingWith(resolver))
            .webhookSslContext(client)
            .build();
    engine.start();
  }

  @AfterEach
  void stop() {
    engine.close();
    receiver.close();
  }

  @Test
  void aReceiverWithATrustedCertificateForTheUrlsHostGetsTheWebhook() {
    Task task = submit("hooks.test");
    WebhookDelivery d = awaitFirstAttempt(task);
    assertThat(d.status()).isEqualTo(Status.DELIVERED);
    assertThat(receiver.received()).isNotEmpty();
    assertThat(receiver.received().get(0).serverNames()).as("SNI").containsExactly("hooks.test");
  }

  @Test
  void aCertificateForAnotherHostIsRefusedBeforeAnythingIsSent() {
    Task task = submit("other.test");
    WebhookDelivery d = awaitFirstAttempt(task);
    assertThat(d.status()).isEqualTo(Status.PENDING);
    assertThat(d.lastError()).contains("SSLHandshakeException").contains("other.test");
    assertThat(receiver.received()).isEmpty();
  }

  private Task submit(String host) {
    return engine.submit(
        TaskRequest.builder("t")
            .webhookUrl(receiver.url(host, "/h"))
            .delay(Duration.ofDays(1))
            .build());
  }

  private WebhookDelivery awaitFirstAttempt(Task task) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> engine.webhookDeliveries(task.id()),
            ds -> !ds.isEmpty() && ds.get(0).attempts() == 1)
        .get(0);
  }

  /** A key pair and self-signed certificate for hooks.test, made by the JDK's keytool. */
  private KeyStore certificate() throws Exception {
    Path file = dir.resolve("hooks.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                List.of(
                    keytool.toString(),
                    "-genkeypair",
                    "-alias",
                    "hooks",
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=hooks.test",
                    "-ext",
                    "SAN=dns:hooks.test",
                    "-validity",
                    "2",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    file.toString(),
                    "-storepass",
                    new String(PASSWORD)))
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(output).isTrue();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      keys.load(in, PASSWORD);
    }
    return keys;
  }
}
