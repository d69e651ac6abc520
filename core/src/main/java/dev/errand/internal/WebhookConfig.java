package dev.errand.internal;

import dev.errand.webhook.WebhookSecrets;
import dev.errand.webhook.WebhookUrlPolicy;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The webhook settings of one engine, as checked by {@link dev.errand.TaskEngineBuilder}. Webhooks
 * are delivered only when there are secrets to sign them; without, a task may not give a URL.
 *
 * @param urlPolicy which URLs a task may give and a delivery may reach
 * @param secrets the organizations' signing secrets, or {@code null} for no webhooks
 * @param retryDelays the delays before each retry; one attempt more than there are delays
 * @param concurrency the most deliveries under way in this engine
 * @param perOrganization the most deliveries under way for one organization
 * @param sslContext the TLS settings of https deliveries, or {@code null} for the JVM's default
 */
public record WebhookConfig(
    WebhookUrlPolicy urlPolicy,
    WebhookSecrets secrets,
    List<Duration> retryDelays,
    int concurrency,
    int perOrganization,
    SSLContext sslContext) {
  /** Whether webhooks are delivered. */
  public boolean enabled() {
    return secrets != null;
  }
}
