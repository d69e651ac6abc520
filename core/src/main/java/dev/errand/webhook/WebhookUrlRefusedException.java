package dev.errand.webhook;

import dev.errand.ErrandException;
import java.net.URI;

/** A webhook URL Errand will not call; the message says why. */
public class WebhookUrlRefusedException extends ErrandException {
  private static final long serialVersionUID = 1L;

  private final transient URI url;

  /** {@code url} is refused because {@code why}. */
  public WebhookUrlRefusedException(URI url, String why) {
    super("webhook URL " + url + " refused: " + why);
    this.url = url;
  }

  /** The refused URL. */
  public URI url() {
    return url;
  }
}
