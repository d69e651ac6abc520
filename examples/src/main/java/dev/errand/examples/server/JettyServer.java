package dev.errand.examples.server;

import dev.errand.http.ErrandFeature;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * The standalone server's Jetty, bounded against slow and greedy clients: at most {@value
 * #MAX_CONNECTIONS} connections and {@value #MAX_THREADS} request threads; request headers must
 * arrive within {@link SlowClientGuard#HEADER_TIMEOUT} and bodies at {@value
 * #MIN_REQUEST_BYTES_PER_SECOND} bytes a second or more; a connection silent for {@link
 * #IDLE_TIMEOUT} is closed. Bodies are read only once a request is authenticated (see the JAX-RS
 * feature), so slow bodies without credentials hold no thread. The feature learns each client's
 * address from a servlet filter, for its sign-in limits and its security log.
 */
final class JettyServer {
  static final int MAX_CONNECTIONS = 4096;
  static final int MAX_THREADS = 200;
  static final long MIN_REQUEST_BYTES_PER_SECOND = 1024;
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Jersey reports an answer whose connection closed while it was being committed (the client went
   * away, or the server is stopping after the client read it) as SEVERE with a stack trace; there
   * is nothing for an operator to do about it, so that one record is dropped, and the logger's
   * others kept. Held by a field, as java.util.logging holds loggers weakly.
   */
  private static final java.util.logging.Logger RESPONDER = withoutLateCloses();

  private JettyServer() {}

  private static java.util.logging.Logger withoutLateCloses() {
    java.util.logging.Logger logger =
        java.util.logging.Logger.getLogger("org.glassfish.jersey.server.ServerRuntime$Responder");
    logger.setFilter(
        r -> r.getMessage() == null || !r.getMessage().contains("closing the output stream"));
    return logger;
  }

  static Server create(ServerOptions options, ErrandFeature feature) {
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 8);
    threads.setName("errand-http");
    Server jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false); // no Server: Jetty(version) header
    http.setMinRequestDataRate(MIN_REQUEST_BYTES_PER_SECOND);
    ServerConnector connector = connector(jetty, options, http);
    connector.setHost(options.host());
    connector.setPort(options.port());
    connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    jetty.addConnector(connector);
    jetty.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
    SlowClientGuard guard = new SlowClientGuard(context(feature));
    connector.addEventListener(guard);
    jetty.setHandler(guard);
    jetty.setErrorHandler(new EnvelopeErrorHandlers.ServerLevel(Clock.systemUTC()));
    jetty.setStopAtShutdown(false);
    return jetty;
  }

  /** HTTP, or HTTPS with the key store's key and certificate when one is given. */
  private static ServerConnector connector(
      Server jetty, ServerOptions options, HttpConfiguration http) {
    if (options.tlsKeystore() == null) {
      return new ServerConnector(jetty, new HttpConnectionFactory(http));
    }
    http.addCustomizer(new SecureRequestCustomizer());
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStorePath(options.tlsKeystore().toAbsolutePath().toString());
    tls.setKeyStoreType("PKCS12");
    tls.setKeyStorePassword(options.tlsPassword());
    return new ServerConnector(
        jetty,
        new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()),
        new HttpConnectionFactory(http));
  }

  /**
   * Tells the feature the address of the peer: this server is reached directly, not through a
   * proxy, so no forwarding header is trusted (a client could write one).
   */
  private static Filter clientAddress() {
    return (request, response, chain) -> {
      request.setAttribute(ErrandFeature.CLIENT_ADDRESS_PROPERTY, request.getRemoteAddr());
      chain.doFilter(request, response);
    };
  }

  private static ServletContextHandler context(ErrandFeature feature) {
    ResourceConfig app = new ResourceConfig().register(feature);
    app.property(ServerProperties.WADL_FEATURE_DISABLE, true);
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(new FilterHolder(clientAddress()), "/*", EnumSet.of(DispatcherType.REQUEST));
    ServletHolder holder = new ServletHolder(new ServletContainer(app));
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/*");
    JakartaWebSocketServletContainerInitializer.configure(
        context, (servlets, sockets) -> sockets.addEndpoint(feature.webSocketEndpoint()));
    context.setErrorHandler(new EnvelopeErrorHandlers.ContextLevel(Clock.systemUTC()));
    return context;
  }
}
