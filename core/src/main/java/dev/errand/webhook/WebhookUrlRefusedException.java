package dev.errand.webhook;

import dev.errand.ErrandException;
import java.net.URI;

/** A webhook URL Errand will not call; the message says why. */
public class WebhookUrlRefusedException extends ErrandException {
  private static final long serialVersionUID = 1L;

  private final transient URI url;
  private final boolean unresolved;

  /** {@code url} is refused because {@code why}. */
  public WebhookUrlRefusedException(URI url, String why) {
    this(url, why, false);
  }

  private WebhookUrlRefusedException(URI url, String why, boolean unresolved) {
    super("webhook URL " + url + " refused: " + why);
    this.url = url;
    this.unresolved = unresolved;
  }

  /** {@code url} is refused only because its host does not resolve now, which may change. */
  public static WebhookUrlRefusedException unresolved(URI url) {
    return new WebhookUrlRefusedException(url, "its host does not resolve", true);
  }

  /** Whether the only problem is that the host did not resolve, so a later try may succeed. */
  public boolean isUnresolved() {
    return unresolved;
  }

  /** The refused URL. */
  public URI url() {
    return url;
  }
}
