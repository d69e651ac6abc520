package dev.errand.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLContext;

/**
 * A webhook receiver over real HTTP on a loopback address: records every request it gets and
 * answers as told (200 unless told otherwise). It can be stopped, so that connections are refused,
 * and started again on the same port.
 */
public final class WebhookReceiver implements AutoCloseable {
  /**
   * One request as received; header names in lower case; for https, the host names the client sent
   * as SNI.
   */
  public record Received(
      String path, Map<String, String> headers, byte[] body, List<String> serverNames) {
    /** A header's value, or {@code null}. */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The body as UTF-8 text. */
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** How to answer a request: a status and headers. */
  public record Answer(int status, Map<String, String> headers) {
    /** A status with no headers. */
    public static Answer of(int status) {
      return new Answer(status, Map.of());
    }
  }

  private final InetAddress address;
  private final SSLContext tls;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private volatile Function<Received, Answer> answers = r -> Answer.of(200);
  private volatile HttpServer server;
  private int port;

  private WebhookReceiver(InetAddress address, SSLContext tls) {
    this.address = address;
    this.tls = tls;
  }

  /** A receiver listening on a free port of the address. */
  public static WebhookReceiver start(InetAddress address) {
    return start(address, null);
  }

  /** An https receiver on a free port of the address, with the context's certificate. */
  public static WebhookReceiver start(InetAddress address, SSLContext tls) {
    WebhookReceiver receiver = new WebhookReceiver(address, tls);
    receiver.listen(0);
    return receiver;
  }

  /** A receiver on 127.0.0.1. */
  public static WebhookReceiver start() {
    return start(InetAddress.getLoopbackAddress());
  }

  /** The URL of a path on this receiver, with the numeric address. */
  public URI url(String path) {
    return url(address.getHostAddress(), path);
  }

  /** The URL of a path on this receiver, naming it {@code host}. */
  public URI url(String host, String path) {
    return URI.create((tls == null ? "http" : "https") + "://" + host + ":" + port + path);
  }

  /** Answers the following requests with the function's answer. */
  public void answer(Function<Received, Answer> answers) {
    this.answers = answers;
  }

  /** The requests received so far, in order. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Stops listening: connections are refused until {@link #resume()}. */
  public void stop() {
    server.stop(0);
  }

  /** Listens again on the same port. */
  public void resume() {
    listen(port);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private void listen(int onPort) {
    try {
      InetSocketAddress at = new InetSocketAddress(address, onPort);
      HttpServer s;
      if (tls == null) {
        s = HttpServer.create(at, 50);
      } else {
        HttpsServer https = HttpsServer.create(at, 50);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        s = https;
      }
      s.setExecutor(threads);
      s.createContext("/", this::handle);
      s.start();
      server = s;
      port = s.getAddress().getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> headers = new TreeMap<>();
      exchange
          .getRequestHeaders()
          .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      Received r =
          new Received(
              exchange.getRequestURI().getPath(),
              headers,
              exchange.getRequestBody().readAllBytes(),
              serverNames(exchange));
      received.add(r);
      Answer answer = answers.apply(r);
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.sendResponseHeaders(answer.status(), -1);
    }
  }

  private static List<String> serverNames(HttpExchange exchange) {
    if (exchange instanceof HttpsExchange https
        && https.getSSLSession() instanceof ExtendedSSLSession session) {
      return session.getRequestedServerNames().stream()
          .map(n -> new String(n.getEncoded(), StandardCharsets.US_ASCII))
          .toList();
    }
    return List.of();
  }

  /**
   * The task API document's {@code verifyWebhookSignature(payload, signature, secret)}, ported to
   * Java line by line: HMAC-SHA256 keyed with the secret string, {@code 'sha256=' + hex}, and
   * {@code crypto.timingSafeEqual}, which throws when the lengths differ.
   */
  public static boolean verifyWebhookSignature(byte[] payload, String signature, String secret) {
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String expectedSignature = "sha256=" + HexFormat.of().formatHex(hmac.doFinal(payload));
      byte[] a = signature.getBytes(StandardCharsets.UTF_8);
      byte[] b = expectedSignature.getBytes(StandardCharsets.UTF_8);
      if (a.length != b.length) {
        throw new IllegalArgumentException("Input buffers must have the same byte length");
      }
      return MessageDigest.isEqual(a, b);
    } catch (NoSuchAlgorithmException | java.security.InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
