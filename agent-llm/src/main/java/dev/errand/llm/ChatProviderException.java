package dev.errand.llm;

/**
 * The model provider refused a request (a 4xx other than 429: a bad key, an unknown model, a
 * request too large), or kept failing after the retries. The message says which, with the status
 * and the start of the provider's answer; never the API key.
 */
public class ChatProviderException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final boolean retryable;

  ChatProviderException(String message, int status, boolean retryable) {
    super(message);
    this.status = status;
    this.retryable = retryable;
  }

  /** The last HTTP status, or 0 if there was no answer. */
  public int status() {
    return status;
  }

  /** Whether trying the run again later may succeed (the provider was failing or overloaded). */
  public boolean isRetryable() {
    return retryable;
  }
}
