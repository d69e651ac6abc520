package dev.errand.benchmarks;

import dev.errand.TaskEngine;
import dev.errand.TaskEngineBuilder;
import dev.errand.agent.Agent;
import dev.errand.spi.TaskStore;
import dev.errand.webhook.WebhookSecret;
import dev.errand.webhook.WebhookSecrets;
import java.time.Duration;

/**
 * The engine every workload uses: 16 workers, as the design's targets assume; with webhook delivery
 * switched on (secrets set, as the standalone server has them) when the command says {@code
 * --webhooks}, though no task gives a URL, to show what the delivery outbox costs.
 */
final class Engines {
  static final String TYPE = "bench";
  static final int WORKERS = 16;
  private static final WebhookSecrets SECRETS = WebhookSecrets.of(WebhookSecret.generate());
  private static volatile boolean webhooks;

  private Engines() {}

  static void webhooks(boolean on) {
    webhooks = on;
  }

  static TaskEngine engine(TaskStore store, Agent agent) {
    TaskEngineBuilder b =
        TaskEngine.builder()
            .store(store)
            .agent(TYPE, agent)
            .workers(WORKERS)
            .shutdownGracePeriod(Duration.ofSeconds(5));
    if (webhooks) {
      b.webhookSecrets(SECRETS);
    }
    return b.build();
  }
}
