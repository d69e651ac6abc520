/**
 * Webhooks: signing what Errand sends ({@link dev.errand.webhook.WebhookSignatures}), verifying it
 * at the receiver ({@link dev.errand.webhook.WebhookVerifier}), and refusing webhook URLs that
 * would reach the server's own network ({@link dev.errand.webhook.WebhookUrlPolicy}).
 */
package dev.errand.webhook;
