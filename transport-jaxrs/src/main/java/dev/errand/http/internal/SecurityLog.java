package dev.errand.http.internal;

import dev.errand.http.ErrandFeature;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The security log: one INFO line on {@value ErrandFeature#SECURITY_LOG} for each answer 401, 403
 * or 429 and each sign-in turned away (401, 429, or 503 when every password check is busy), from
 * the final answer, so one place sees them all. A line names the event, status and error code, the
 * username a sign-in gave, the client's address, the request id, the method and the path (without
 * its query), and the answer's message. Never a header, body, query, token, password or key: the
 * messages of these answers are fixed texts. A flood is summed up rather than logged line by line
 * ({@link LogBudget}).
 */
public final class SecurityLog implements ContainerResponseFilter {
  private static final Logger log = LoggerFactory.getLogger(ErrandFeature.SECURITY_LOG);

  private static final String USERNAME = "dev.errand.http.signInUsername";
  private static final int MAX_USERNAME = 64;
  private static final int MAX_METHOD = 16;
  private static final int MAX_PATH = 200;

  private final Clock clock;
  private final LogBudget budget = new LogBudget();

  public SecurityLog(Clock clock) {
    this.clock = clock;
  }

  /** Marks the request as a sign-in by {@code username}, as given. */
  static void signIn(ContainerRequestContext request, String username) {
    request.setProperty(USERNAME, username);
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    int status = response.getStatus();
    Object username = request.getProperty(USERNAME);
    String event = event(status, username != null);
    if (event == null || !log.isInfoEnabled()) {
      return;
    }
    String source = ClientAddresses.of(request);
    LogBudget.Decision decision = budget.admit(source, status, clock.instant());
    if (decision.summary() != null) {
      log.info(decision.summary());
    }
    if (!decision.log()) {
      return;
    }
    String code = "";
    String message = "";
    if (response.getEntity() instanceof ErrorBody body) {
      code = body.error().code();
      message = body.error().message();
    }
    log.info(
        "{}: {} {}{} source={} request_id={} {} {}: {}",
        event,
        status,
        code,
        username == null ? "" : " user=\"" + printable(username.toString(), MAX_USERNAME) + "\"",
        source,
        RequestIds.id(request),
        printable(request.getMethod(), MAX_METHOD),
        path(request),
        message);
  }

  /** What happened, or null when the answer is not one to log. */
  private static String event(int status, boolean signIn) {
    if (signIn) {
      return switch (status) {
        case 401 -> "sign-in failed";
        case 429, 503 -> "sign-in held back";
        default -> null;
      };
    }
    return switch (status) {
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 429 -> "rate limited";
      default -> null;
    };
  }

  private static String path(ContainerRequestContext request) {
    String path = request.getUriInfo().getRequestUri().getRawPath();
    return path == null ? "" : printable(path, MAX_PATH);
  }

  /** The text with control characters and quotes replaced, so it cannot forge a line, shortened. */
  private static String printable(String text, int max) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      if (i == max) {
        return out.append("...").toString();
      }
      char c = text.charAt(i);
      boolean plain =
          !Character.isISOControl(c) && c != '"' && c != '\\' && c != '\u2028' && c != '\u2029';
      out.append(plain ? c : '?');
    }
    return out.toString();
  }
}
