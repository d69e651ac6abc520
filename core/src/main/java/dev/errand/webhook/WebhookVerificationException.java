package dev.errand.webhook;

import dev.errand.ErrandException;

/** A received webhook is not authentic or not fresh; the message says which check failed. */
public class WebhookVerificationException extends ErrandException {
  private static final long serialVersionUID = 1L;

  /** The check that failed. */
  public WebhookVerificationException(String message) {
    super(message);
  }
}
