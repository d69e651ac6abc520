package dev.errand.http;

import dev.errand.TaskEngine;
import dev.errand.http.internal.AgentTaskResource;
import dev.errand.http.internal.AuthFilter;
import dev.errand.http.internal.AuthResource;
import dev.errand.http.internal.BodyLimit;
import dev.errand.http.internal.ErrorMapper;
import dev.errand.http.internal.EventIds;
import dev.errand.http.internal.EventStreams;
import dev.errand.http.internal.EventsResource;
import dev.errand.http.internal.NoSniff;
import dev.errand.http.internal.OpenApiResource;
import dev.errand.http.internal.QueryParamCheck;
import dev.errand.http.internal.RateLimitFilter;
import dev.errand.http.internal.RequestIds;
import dev.errand.http.internal.SchedulesResource;
import dev.errand.http.internal.SecurityLog;
import dev.errand.http.internal.TaskSocketEndpoint;
import dev.errand.http.internal.TasksResource;
import dev.errand.http.internal.WireProviders;
import jakarta.websocket.server.ServerEndpointConfig;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * Everything the task API needs, registered on a JAX-RS 3.1 application in one line:
 *
 * <pre>{@code
 * resourceConfig.register(ErrandFeature.builder(engine).authenticator(myAuth).build());
 * }</pre>
 *
 * <p>Registers the resources, the JSON provider for the wire's snake_case bodies, the error
 * envelope for every failure (including unknown routes and unreadable bodies), request ids,
 * authentication, {@code X-Content-Type-Options: nosniff} on every answer, {@code Cache-Control:
 * no-store} on the answers that carry a token, and the security log ({@value #SECURITY_LOG}). These
 * apply to the whole application the feature is registered on, so register it on an application of
 * its own (its own servlet or context path), not beside the host's own resources. Immutable once
 * built; one instance may be registered on one application.
 *
 * <p>JAX-RS does not tell an application the client's address, which the sign-in limits ({@link
 * LoginLimits}) and the security log need: the host sets it as the request property {@value
 * #CLIENT_ADDRESS_PROPERTY}. On a servlet container request properties are the servlet request's
 * attributes, so a servlet filter does it:
 *
 * <pre>{@code
 * context.addFilter(new FilterHolder((Filter) (request, response, chain) -> {
 *   request.setAttribute(ErrandFeature.CLIENT_ADDRESS_PROPERTY, request.getRemoteAddr());
 *   chain.doFilter(request, response);
 * }), "/*", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * Elsewhere a {@code @PreMatching} request filter of the host sets it. Behind a reverse proxy, give
 * the address the proxy reports for the client (Jetty's {@code ForwardedRequestCustomizer} makes
 * {@code getRemoteAddr()} do so), never a header a client could write. Without it every client is
 * the one source {@code unknown}, and the sign-in limits fall back to counting per username.
 */
public final class ErrandFeature implements Feature {
  /**
   * The request property holding the client's address, as text ({@code 203.0.113.7}, {@code
   * 2001:db8::1}) or an {@link java.net.InetAddress}; set by the host.
   */
  public static final String CLIENT_ADDRESS_PROPERTY = "dev.errand.http.clientAddress";

  /**
   * The logger of the security log: an INFO line for each failed sign-in and each answer 401, 403
   * and 429, with the request id and the client's address, never a secret; a flood is summed up in
   * a line a minute.
   */
  public static final String SECURITY_LOG = "dev.errand.http.security";

  /** The default largest request body: 1 MiB. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

  /** The default limit of open WebSocket connections per organization. */
  public static final int DEFAULT_MAX_SOCKETS_PER_ORGANIZATION = 5;

  /** The default limit of open Server-Sent Event streams per organization. */
  public static final int DEFAULT_MAX_STREAMS_PER_ORGANIZATION = 5;

  private static final String EVENT_ID_PURPOSE = "errand event ids";

  private final TaskEngine engine;
  private final Authenticator authenticator;
  private final JwtTokens tokens;
  private final CredentialCheck credentials;
  private final RateLimits rateLimits;
  private final LoginLimits loginLimits;
  private final AgentTasks agentTasks;
  private final int maxRequestBytes;
  private final Clock clock;
  private final EventStreams streams;
  private final TaskSocketEndpoint.Connections sockets;

  private ErrandFeature(Builder b) {
    this.engine = b.engine;
    this.tokens = b.tokens;
    this.authenticator = b.authenticator != null ? b.authenticator : b.tokens.authenticator();
    this.credentials = b.credentials;
    this.rateLimits = b.rateLimits;
    this.loginLimits = b.loginLimits;
    this.agentTasks = b.agentTasks;
    this.maxRequestBytes = b.maxRequestBytes;
    this.clock = b.clock;
    this.streams =
        new EventStreams(engine, new EventIds(b.eventIdKey()), b.maxStreamsPerOrganization);
    this.sockets = new TaskSocketEndpoint.Connections(b.maxSocketsPerOrganization);
  }

  /**
   * The WebSocket {@code /ws/tasks}, for the host to add to its container (it is not a JAX-RS
   * resource): {@code container.addEndpoint(feature.webSocketEndpoint())}. Clients authenticate
   * with a token from {@code POST /api/v1/websocket-auth}.
   *
   * @throws IllegalStateException if the feature was built without tokens
   */
  public ServerEndpointConfig webSocketEndpoint() {
    if (tokens == null) {
      throw new IllegalStateException("the WebSocket needs tokens: set them on the builder");
    }
    return ServerEndpointConfig.Builder.create(TaskSocketEndpoint.class, "/ws/tasks")
        .configurator(
            new ServerEndpointConfig.Configurator() {
              @Override
              public <T> T getEndpointInstance(Class<T> type) {
                return type.cast(new TaskSocketEndpoint(engine, tokens, streams, sockets, clock));
              }
            })
        .build();
  }

  /**
   * A builder for the feature serving this engine.
   *
   * @throws NullPointerException if engine is null
   */
  public static Builder builder(TaskEngine engine) {
    return new Builder(Objects.requireNonNull(engine, "engine"));
  }

  @Override
  public boolean configure(FeatureContext context) {
    context.register(WireProviders.json());
    context.register(new RequestIds());
    context.register(new SecurityLog(clock));
    context.register(new NoSniff());
    context.register(new BodyLimit(maxRequestBytes));
    context.register(new AuthFilter(authenticator));
    context.register(new RateLimitFilter(rateLimits, clock));
    context.register(new QueryParamCheck());
    context.register(new ErrorMapper(clock, engine::taskTypes));
    context.register(new TasksResource(engine, streams, clock));
    context.register(new SchedulesResource(engine));
    context.register(new OpenApiResource());
    context.register(new EventsResource(streams));
    if (tokens != null) {
      context.register(new AuthResource(tokens, credentials, loginLimits, clock));
    }
    if (agentTasks != null) {
      context.register(new AgentTaskResource(engine, agentTasks));
    }
    return true;
  }

  /** Configures an {@link ErrandFeature}. Not thread-safe. */
  public static final class Builder {
    private final TaskEngine engine;
    private Authenticator authenticator;
    private JwtTokens tokens;
    private CredentialCheck credentials;
    private RateLimits rateLimits = RateLimits.defaults();
    private LoginLimits loginLimits = LoginLimits.defaults();
    private AgentTasks agentTasks;
    private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private int maxSocketsPerOrganization = DEFAULT_MAX_SOCKETS_PER_ORGANIZATION;
    private int maxStreamsPerOrganization = DEFAULT_MAX_STREAMS_PER_ORGANIZATION;
    private byte[] eventIdSecret;
    private Clock clock = Clock.systemUTC();

    private Builder(TaskEngine engine) {
      this.engine = engine;
    }

    /**
     * Who is calling; default: the bearer access tokens of {@link #tokens}. Set it when the host
     * has its own authentication.
     */
    public Builder authenticator(Authenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /**
     * The tokens this server issues and accepts: access tokens from {@code POST /auth/login} (when
     * a {@link #login} check is set) and WebSocket tokens from {@code POST /api/v1/websocket-auth}.
     */
    public Builder tokens(JwtTokens tokens) {
      this.tokens = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    /**
     * Offers {@code POST /auth/login}, checking credentials with this under {@link #loginLimits};
     * needs {@link #tokens}.
     */
    public Builder login(CredentialCheck credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /**
     * How sign-in holds off password guessing and bounds the password checks running at once;
     * default {@link LoginLimits#defaults()}.
     */
    public Builder loginLimits(LoginLimits loginLimits) {
      this.loginLimits = Objects.requireNonNull(loginLimits, "loginLimits");
      return this;
    }

    /**
     * The largest request body accepted, 1 KiB to 100 MiB; larger ones get 413 PAYLOAD_TOO_LARGE.
     * Default {@value ErrandFeature#DEFAULT_MAX_REQUEST_BYTES}.
     */
    public Builder maxRequestBytes(int maxRequestBytes) {
      if (maxRequestBytes < 1024 || maxRequestBytes > 100 * 1024 * 1024) {
        throw new IllegalArgumentException(
            "maxRequestBytes must be between 1024 and 104857600, was " + maxRequestBytes);
      }
      this.maxRequestBytes = maxRequestBytes;
      return this;
    }

    /** Offers the agent-task endpoints ({@code /api/v1/agent-task}); default not offered. */
    public Builder agentTasks(AgentTasks agentTasks) {
      this.agentTasks = Objects.requireNonNull(agentTasks, "agentTasks");
      return this;
    }

    /**
     * Open WebSocket connections allowed per organization, 1 to 1000; default {@value
     * ErrandFeature#DEFAULT_MAX_SOCKETS_PER_ORGANIZATION}, as the task API document says.
     */
    public Builder maxSocketsPerOrganization(int max) {
      if (max < 1 || max > 1000) {
        throw new IllegalArgumentException(
            "maxSocketsPerOrganization must be between 1 and 1000, was " + max);
      }
      this.maxSocketsPerOrganization = max;
      return this;
    }

    /**
     * Server-Sent Event streams ({@code GET /api/v1/events} and {@code /api/v1/tasks/{id}/events})
     * an organization may hold open at once, 1 to 1000; one more is answered 429 TOO_MANY_STREAMS.
     * Default {@value ErrandFeature#DEFAULT_MAX_STREAMS_PER_ORGANIZATION}.
     */
    public Builder maxStreamsPerOrganization(int max) {
      if (max < 1 || max > 1000) {
        throw new IllegalArgumentException(
            "maxStreamsPerOrganization must be between 1 and 1000, was " + max);
      }
      this.maxStreamsPerOrganization = max;
      return this;
    }

    /**
     * The secret that makes Server-Sent Event ids opaque: each organization's ids hide the engine's
     * event numbers (so they say nothing of other organizations' events) and are accepted back only
     * from that organization. Every node a client may resume on needs the same secret. Default:
     * derived from the {@link #tokens} secret; with no tokens, a random one, so that ids resume
     * only on this feature instance.
     *
     * @throws IllegalArgumentException if shorter than {@value JwtTokens#MIN_SECRET_BYTES} bytes
     */
    public Builder eventIdSecret(byte[] secret) {
      Objects.requireNonNull(secret, "secret");
      if (secret.length < JwtTokens.MIN_SECRET_BYTES) {
        throw new IllegalArgumentException(
            "eventIdSecret must be at least "
                + JwtTokens.MIN_SECRET_BYTES
                + " bytes, was "
                + secret.length);
      }
      this.eventIdSecret = secret.clone();
      return this;
    }

    /** The event id key: from the secret given, the tokens' secret, or chance. */
    private byte[] eventIdKey() {
      if (eventIdSecret != null) {
        return Secrets.derive(eventIdSecret, EVENT_ID_PURPOSE);
      }
      if (tokens != null) {
        return tokens.derive(EVENT_ID_PURPOSE);
      }
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      return random;
    }

    /** Request limits per organization and endpoint; default {@link RateLimits#defaults()}. */
    public Builder rateLimits(RateLimits rateLimits) {
      this.rateLimits = Objects.requireNonNull(rateLimits, "rateLimits");
      return this;
    }

    /**
     * The clock of timestamps, estimates, rate limits, sign-in delays and the security log's
     * minutes; default the system UTC clock.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The feature.
     *
     * @throws IllegalStateException if neither an authenticator nor tokens were set, or a login
     *     check was set without tokens
     */
    public ErrandFeature build() {
      if (authenticator == null && tokens == null) {
        throw new IllegalStateException(
            "set tokens or an authenticator: every request must be tied to an organization");
      }
      if (credentials != null && tokens == null) {
        throw new IllegalStateException("login needs tokens to issue: set tokens too");
      }
      return new ErrandFeature(this);
    }
  }
}
