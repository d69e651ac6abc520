package dev.errand.examples.server;

import dev.errand.http.ErrorEnvelopes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error pages replaced by the API's error envelope, for requests Jetty refuses before the
 * application sees them: malformed messages, URIs or headers (server level), and errors the servlet
 * container reports (context level), for every method.
 */
final class EnvelopeErrorHandlers {
  /** Browsers take the envelope as JSON, as the feature tells them for the API's answers. */
  private static final String NO_SNIFF = "X-Content-Type-Options";

  private EnvelopeErrorHandlers() {}

  /** For the server: refused messages and errors outside the servlet context. */
  static final class ServerLevel extends ErrorHandler {
    private final Clock clock;

    ServerLevel(Clock clock) {
      this.clock = clock;
    }

    @Override
    public boolean errorPageForMethod(String method) {
      return true;
    }

    @Override
    protected void generateResponse(
        Request request,
        Response response,
        int code,
        String message,
        Throwable cause,
        Callback callback) {
      String id = ErrorEnvelopes.newRequestId();
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.getHeaders().put("X-Request-ID", id);
      response.getHeaders().put(NO_SNIFF, "nosniff");
      // Jetty closes the connection after refusing a request itself: say so, or a client may
      // send its next request on it
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
      byte[] body = ErrorEnvelopes.json(code, id, clock.instant()).getBytes(StandardCharsets.UTF_8);
      response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      String id = ErrorEnvelopes.newRequestId();
      fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
      fields.put("X-Request-ID", id);
      fields.put(NO_SNIFF, "nosniff");
      return ByteBuffer.wrap(
          ErrorEnvelopes.json(status, id, clock.instant()).getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Discards the unread rest of a refused request's body; see {@link ErrorEnvelopes#discardBody}.
   */
  private static void drain(HttpServletRequest request) {
    try {
      ErrorEnvelopes.discardBody(request.getInputStream());
    } catch (IOException | IllegalStateException e) {
      // already read as characters, or the client went away: nothing left to save
    }
  }

  /** For the servlet context: errors the container sends while serving the application. */
  static final class ContextLevel extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
    private final Clock clock;

    ContextLevel(Clock clock) {
      this.clock = clock;
    }

    @Override
    public boolean errorPageForMethod(String method) {
      return true;
    }

    @Override
    protected void generateAcceptableResponse(
        ServletContextRequest base,
        HttpServletRequest request,
        HttpServletResponse response,
        int code,
        String message)
        throws IOException {
      drain(request);
      String id = ErrorEnvelopes.newRequestId();
      response.setContentType("application/json");
      response.setHeader("X-Request-ID", id);
      response.setHeader(NO_SNIFF, "nosniff");
      response
          .getOutputStream()
          .write(ErrorEnvelopes.json(code, id, clock.instant()).getBytes(StandardCharsets.UTF_8));
    }
  }
}
