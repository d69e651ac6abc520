package dev.errand.http;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * Jersey on Jetty on a free loopback port: the HTTP API as a host application would serve it,
 * telling the feature each client's address with a servlet filter.
 */
final class TestServer implements AutoCloseable {
  /**
   * A test stops its server as soon as it has read its last answer, and Jersey may still be closing
   * that answer's output stream then; it reports the closed connection as SEVERE with a stack
   * trace. Kept by a field, since java.util.logging holds loggers weakly.
   */
  private static final java.util.logging.Logger RESPONDER =
      quiet("org.glassfish.jersey.server.ServerRuntime$Responder");

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.OFF);
    return logger;
  }

  private final Server server;
  private final URI base;

  private TestServer(Server server, URI base) {
    this.server = server;
    this.base = base;
  }

  static TestServer start(ErrandFeature feature) throws Exception {
    return start(feature, false);
  }

  /** As {@link #start(ErrandFeature)}, with the feature's WebSocket when asked. */
  static TestServer start(ErrandFeature feature, boolean webSocket) throws Exception {
    ResourceConfig config = new ResourceConfig().register(feature);
    config.property(ServerProperties.WADL_FEATURE_DISABLE, true);
    Server server = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(new FilterHolder(clientAddress()), "/*", EnumSet.of(DispatcherType.REQUEST));
    ServletHolder holder = new ServletHolder(new ServletContainer(config));
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/*");
    if (webSocket) {
      JakartaWebSocketServletContainerInitializer.configure(
          context, (servlets, sockets) -> sockets.addEndpoint(feature.webSocketEndpoint()));
    }
    server.setHandler(context);
    server.start();
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    return new TestServer(server, URI.create("http://127.0.0.1:" + port + "/"));
  }

  /** Request properties are the servlet request's attributes under Jersey's servlet container. */
  private static Filter clientAddress() {
    return (request, response, chain) -> {
      request.setAttribute(ErrandFeature.CLIENT_ADDRESS_PROPERTY, request.getRemoteAddr());
      chain.doFilter(request, response);
    };
  }

  /** The port the server listens on, at 127.0.0.1. */
  int port() {
    return base.getPort();
  }

  URI uri(String path) {
    return base.resolve(path);
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
