package dev.errand.webhook;

import java.util.List;
import java.util.Objects;

/**
 * The secrets that sign an organization's webhooks. The first is the current one: it signs {@code
 * X-Context-Signature}, which carries a single signature. Every one of them signs {@code
 * webhook-signature}, so while a secret is rotated (the new one first, the old one second) a
 * receiver holding either accepts the delivery.
 */
@FunctionalInterface
public interface WebhookSecrets {
  /**
   * The organization's secrets, current first; never empty.
   *
   * @param organizationId the organization of the task whose event is delivered
   */
  List<WebhookSecret> forOrganization(String organizationId);

  /** The same secrets for every organization, current first. */
  static WebhookSecrets of(WebhookSecret... secrets) {
    if (secrets.length == 0) {
      throw new IllegalArgumentException("at least one webhook secret is required");
    }
    List<WebhookSecret> list = List.of(secrets);
    list.forEach(s -> Objects.requireNonNull(s, "secret"));
    return organizationId -> list;
  }
}
