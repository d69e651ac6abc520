package dev.errand.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskEngineBuilder;
import dev.errand.TaskRequest;
import dev.errand.TaskStatus;
import dev.errand.TaskValidationException;
import dev.errand.agent.Agent;
import dev.errand.agent.AgentResult;
import dev.errand.webhook.WebhookDelivery;
import dev.errand.webhook.WebhookDelivery.Status;
import dev.errand.webhook.WebhookSecret;
import dev.errand.webhook.WebhookSecrets;
import dev.errand.webhook.WebhookSignatures;
import dev.errand.webhook.WebhookUrlPolicy;
import dev.errand.webhook.WebhookVerifier;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook delivery scenarios against a real receiver over HTTP on 127.0.0.2 (the only address the
 * engines may reach), with time moved by the test: signatures both ways, a receiver down for a
 * while, redirects, Retry-After, 410 Gone, giving up, the address check at delivery, and the
 * per-organization limit. A store's test extends this class and returns a fresh store from {@link
 * #newStore()}.
 */
public abstract class TaskEngineWebhookScenarioTest extends EngineScenarioSupport {
  private static final WebhookSecret CURRENT = WebhookSecret.generate();
  private static final WebhookSecret PREVIOUS = WebhookSecret.generate();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration FAR = Duration.ofDays(1);

  private final InetAddress receiverAddress = address("127.0.0.2");
  private final ManualTimer timer = new ManualTimer(clock);
  private WebhookReceiver receiver;
  private ConnectionTrap trap;

  @BeforeEach
  void startReceivers() {
    receiver = WebhookReceiver.start(receiverAddress);
    trap = ConnectionTrap.on(InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void stopReceivers() throws Exception {
    receiver.close();
    trap.close();
  }

  @Test
  void everyEventArrivesSignedSoTheDocumentsVerifierAndStandardWebhooksAccept() throws Exception {
    TaskEngine engine =
        webhookEngine(
            ctx -> {
              ctx.progress(50, "half");
              return AgentResult.completed(Map.of("ok", true));
            },
            b -> b);
    Task task =
        engine.submit(
            TaskRequest.builder(TYPE)
                .webhookUrl(receiver.url("/hooks"))
                .metadata(Map.of("department", "finance"))
                .build());
    engine.start();
    awaitStatus(timer, task.id(), TaskStatus.COMPLETED);
    await().atMost(WAIT).until(() -> receiver.received().size() == 4);

    Map<String, JsonNode> byType = new HashMap<>();
    for (WebhookReceiver.Received r : receiver.received()) {
      assertThat(r.path()).isEqualTo("/hooks");
      String signature = r.header(WebhookSignatures.CONTEXT_SIGNATURE);
      assertThat(WebhookReceiver.verifyWebhookSignature(r.body(), signature, CURRENT.text()))
          .isTrue();
      byte[] tampered = Arrays.copyOf(r.body(), r.body().length);
      tampered[5] ^= 1;
      assertThat(WebhookReceiver.verifyWebhookSignature(tampered, signature, CURRENT.text()))
          .isFalse();
      for (WebhookSecret receiverHas : List.of(CURRENT, PREVIOUS)) {
        WebhookVerifier.of(List.of(receiverHas))
            .with(WebhookVerifier.DEFAULT_TOLERANCE, clock)
            .verify(
                r.header(WebhookSignatures.WEBHOOK_ID),
                r.header(WebhookSignatures.WEBHOOK_TIMESTAMP),
                r.header(WebhookSignatures.WEBHOOK_SIGNATURE),
                r.body());
      }
      JsonNode body = JSON.readTree(r.body());
      byType.put(body.get("event_type").asText(), body);
    }
    assertThat(byType)
        .containsOnlyKeys("task_submitted", "task_started", "task_progress", "task_completed");
    JsonNode done = byType.get("task_completed");
    assertThat(done.get("task_id").asText()).isEqualTo("task_" + task.id());
    assertThat(done.get("timestamp").asText()).isEqualTo(clock.instant().toString());
    assertThat(done.get("data").get("status").asText()).isEqualTo("completed");
    assertThat(done.get("data").get("duration_minutes").asInt()).isZero();
    assertThat(done.get("data").get("results_available").asBoolean()).isTrue();
    assertThat(done.get("data").get("results_url").asText())
        .isEqualTo("/api/v1/tasks/task_" + task.id() + "/results");
    assertThat(done.get("metadata").get("department").asText()).isEqualTo("finance");
    assertThat(byType.get("task_started").get("data").get("status").asText())
        .isEqualTo("processing");
    assertThat(byType.get("task_started").get("data").get("results_available").asBoolean())
        .isFalse();
    assertThat(engine.webhookDeliveries(task.id()))
        .hasSize(4)
        .allSatisfy(
            d -> {
              assertThat(d.status()).isEqualTo(Status.DELIVERED);
              assertThat(d.attempts()).isEqualTo(1);
              assertThat(d.lastResponseCode()).isEqualTo(200);
            });
    assertThat(receiver.received())
        .extracting(r -> r.header(WebhookSignatures.WEBHOOK_ID))
        .doesNotHaveDuplicates();
  }

  @Test
  void aReceiverDownForAWhileGetsEveryEventOnceItIsBack() {
    receiver.stop();
    TaskEngine engine = webhookEngine(ctx -> AgentResult.completed(null), b -> b);
    Task task = engine.submit(TaskRequest.builder(TYPE).webhookUrl(receiver.url("/h")).build());
    engine.start();
    awaitStatus(timer, task.id(), TaskStatus.COMPLETED);
    await()
        .atMost(WAIT)
        .until(
            () ->
                engine.webhookDeliveries(task.id()).size() == 3
                    && engine.webhookDeliveries(task.id()).stream()
                        .allMatch(d -> d.attempts() == 1 && d.status() == Status.PENDING));
    assertThat(engine.webhookDeliveries(task.id()).get(0).lastError()).contains("Connect");

    receiver.resume();
    timer.advance(Duration.ofSeconds(7)); // past the first retry delay, 5 s ± 20 %
    await()
        .atMost(WAIT)
        .until(
            () ->
                engine.webhookDeliveries(task.id()).stream()
                    .allMatch(d -> d.status() == Status.DELIVERED));
    assertThat(engine.webhookDeliveries(task.id())).allMatch(d -> d.attempts() == 2);
    Map<String, String> bodyById = new HashMap<>();
    for (WebhookReceiver.Received r : receiver.received()) {
      String previous = bodyById.putIfAbsent(r.header(WebhookSignatures.WEBHOOK_ID), r.text());
      assertThat(previous).as("a repeat carries the same id and body").isIn(null, r.text());
    }
    assertThat(bodyById).hasSize(3);
  }

  @Test
  void redirectsAreNotFollowedRetryAfterIsHonouredAndGoneStopsTheUrl() {
    URI toTrap = URI.create("http://127.0.0.1:" + trap.port() + "/steal");
    receiver.answer(r -> new WebhookReceiver.Answer(302, Map.of("Location", toTrap.toString())));
    TaskEngine engine = webhookEngine(ctx -> AgentResult.completed(null), b -> b);
    URI url = receiver.url("/h");
    Task task = engine.submit(TaskRequest.builder(TYPE).webhookUrl(url).delay(FAR).build());
    engine.start();
    WebhookDelivery first = awaitDelivery(engine, task.id(), d -> d.attempts() == 1);
    assertThat(first.status()).isEqualTo(Status.PENDING);
    assertThat(first.lastResponseCode()).isEqualTo(302);
    assertThat(first.lastError()).contains("redirect");
    assertThat(trap.connections()).isZero();

    receiver.answer(r -> new WebhookReceiver.Answer(503, Map.of("Retry-After", "3600")));
    timer.advance(Duration.ofSeconds(7));
    WebhookDelivery second = awaitDelivery(engine, task.id(), d -> d.attempts() == 2);
    assertThat(second.lastResponseCode()).isEqualTo(503);
    assertThat(second.nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(3600));

    receiver.answer(r -> WebhookReceiver.Answer.of(r.path().equals("/h") ? 410 : 200));
    timer.advance(Duration.ofSeconds(3600));
    WebhookDelivery gone = awaitDelivery(engine, task.id(), d -> d.attempts() == 3);
    assertThat(gone.status()).isEqualTo(Status.GONE);

    Task later = engine.submit(TaskRequest.builder(TYPE).webhookUrl(url).delay(FAR).build());
    assertThat(awaitDelivery(engine, later.id(), d -> true).status())
        .as("nothing more is sent to a gone URL")
        .isEqualTo(Status.GONE);
    engine.clearGoneWebhookUrl(TaskRequest.DEFAULT_ORGANIZATION, url);
    receiver.answer(r -> WebhookReceiver.Answer.of(200));
    Task revived = engine.submit(TaskRequest.builder(TYPE).webhookUrl(url).delay(FAR).build());
    awaitDelivery(engine, revived.id(), d -> d.status() == Status.DELIVERED);
    assertThat(receiver.received()).extracting(WebhookReceiver.Received::path).hasSize(4);
    assertThat(trap.connections()).isZero();
  }

  @Test
  void aDeliveryIsGivenUpAfterTheLastRetryDelay() {
    receiver.answer(r -> WebhookReceiver.Answer.of(500));
    TaskEngine engine =
        webhookEngine(
            ctx -> AgentResult.completed(null),
            b -> b.webhookRetryDelays(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1))));
    Task task =
        engine.submit(TaskRequest.builder(TYPE).webhookUrl(receiver.url("/h")).delay(FAR).build());
    engine.start();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              timer.advance(Duration.ofSeconds(2));
              return engine.webhookDeliveries(task.id()).get(0).status() == Status.FAILED;
            });
    WebhookDelivery failed = engine.webhookDeliveries(task.id()).get(0);
    assertThat(failed.attempts()).isEqualTo(3);
    assertThat(failed.lastResponseCode()).isEqualTo(500);
    assertThat(receiver.received()).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void urlsReachingTheServersOwnNetworkAreRefusedAndNeverConnected() {
    AtomicReference<InetAddress> rebinding = new AtomicReference<>(receiverAddress);
    WebhookUrlPolicy.Resolver resolver =
        host ->
            switch (host) {
              case "loopback.test" -> new InetAddress[] {InetAddress.getLoopbackAddress()};
              case "rebinding.test" -> new InetAddress[] {rebinding.get()};
              default -> InetAddress.getAllByName(host);
            };
    TaskEngine engine =
        webhookEngine(
            ctx -> AgentResult.completed(null),
            b -> b.webhookUrlPolicy(policy().resolvingWith(resolver)));
    int port = trap.port();
    for (String url :
        List.of(
            "http://127.0.0.1:" + port + "/h",
            "http://10.0.0.1:" + port + "/h",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]:" + port + "/h",
            "http://loopback.test:" + port + "/h")) {
      assertThatThrownBy(
              () -> engine.submit(TaskRequest.builder(TYPE).webhookUrl(URI.create(url)).build()))
          .as(url)
          .isInstanceOf(TaskValidationException.class)
          .hasMessageContaining("webhookUrl")
          .hasMessageContaining("must not reach a private, loopback");
    }
    Task task =
        engine.submit(
            TaskRequest.builder(TYPE)
                .webhookUrl(URI.create("http://rebinding.test:" + port + "/h"))
                .delay(FAR)
                .build());
    rebinding.set(InetAddress.getLoopbackAddress()); // the name now points at the server itself
    engine.start();
    WebhookDelivery refused = awaitDelivery(engine, task.id(), d -> d.status() == Status.FAILED);
    assertThat(refused.lastError()).contains("resolves to 127.0.0.1, which is not public");
    assertThat(refused.lastResponseCode()).isNull();
    assertThat(trap.connections()).isZero();
  }

  @Test
  void oneOrganizationsBacklogDoesNotHoldUpAnothers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger busyA = new AtomicInteger();
    AtomicInteger mostBusyA = new AtomicInteger();
    receiver.answer(
        r -> {
          if (r.path().equals("/a")) {
            mostBusyA.accumulateAndGet(busyA.incrementAndGet(), Math::max);
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            busyA.decrementAndGet();
          }
          return WebhookReceiver.Answer.of(204);
        });
    TaskEngine engine =
        webhookEngine(ctx -> AgentResult.completed(null), b -> b.webhookConcurrency(4, 2));
    List<Task> backlog = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) { // more than the engine's 4 places
      backlog.add(submitFor(engine, "org-a", "/a"));
    }
    engine.start();
    await().atMost(WAIT).until(() -> busyA.get() == 2);
    Task b = submitFor(engine, "org-b", "/b");
    awaitDelivery(engine, b.id(), d -> d.status() == Status.DELIVERED);
    assertThat(receiver.received()).filteredOn(r -> r.path().equals("/a")).hasSize(2);
    release.countDown();
    for (Task t : backlog) {
      awaitDelivery(engine, t.id(), d -> d.status() == Status.DELIVERED);
    }
    assertThat(mostBusyA.get()).isEqualTo(2);
  }

  private Task submitFor(TaskEngine engine, String organization, String path) {
    return engine.submit(
        TaskRequest.builder(TYPE)
            .organizationId(organization)
            .webhookUrl(receiver.url(path))
            .delay(FAR)
            .build());
  }

  private TaskEngine webhookEngine(Agent agent, UnaryOperator<TaskEngineBuilder> more) {
    return engine(
        timer,
        agent,
        b ->
            more.apply(
                b.webhookUrlPolicy(policy()).webhookSecrets(WebhookSecrets.of(CURRENT, PREVIOUS))));
  }

  private static WebhookUrlPolicy policy() {
    return WebhookUrlPolicy.defaults().allowingHttp().allowing("127.0.0.2/32");
  }

  /** Waits for the task's first delivery to satisfy the condition, running due timed work. */
  private WebhookDelivery awaitDelivery(
      TaskEngine engine, UUID taskId, java.util.function.Predicate<WebhookDelivery> condition) {
    AtomicReference<WebhookDelivery> seen = new AtomicReference<>();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              timer.runDue();
              List<WebhookDelivery> ds = engine.webhookDeliveries(taskId);
              seen.set(ds.isEmpty() ? null : ds.get(0));
              return seen.get() != null && condition.test(seen.get());
            });
    return seen.get();
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
