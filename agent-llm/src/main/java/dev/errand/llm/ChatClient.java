package dev.errand.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.errand.RetryAfter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of an OpenAI-compatible chat completions API ({@code POST <base>/chat/completions}):
 * OpenRouter, OpenAI, or a local server. A 429, a 5xx, a malformed answer or a broken connection is
 * tried again, after the provider's Retry-After (seconds or a date; beyond a minute the call ends,
 * retryable) or else a growing, jittered delay, up to the attempts; another 4xx is not. An
 * interrupt aborts the call under way, as does, for an agent's call, its task's cancellation. The
 * API key goes only into the Authorization header: never into a message, an exception or a log.
 */
public final class ChatClient {
  /** Waits between attempts, ending early (CancellationException) once told to abort; a seam. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d, BooleanSupplier abort) throws InterruptedException;
  }

  private static final Logger log = LoggerFactory.getLogger(ChatClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MAX_WAIT = Duration.ofMinutes(1);
  private static final long ABORT_POLL_MILLIS = 200;

  private final URI endpoint;
  private final String apiKey;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final int maxAttempts;
  private final Sleeper sleeper;
  private final Clock clock;

  private ChatClient(Builder b) {
    String base = b.baseUrl.toString();
    this.endpoint =
        URI.create(base.endsWith("/") ? base + "chat/completions" : base + "/chat/completions");
    this.apiKey = b.apiKey;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            // plain http is a local server: no h2c upgrade; https negotiates HTTP/2 by ALPN
            .version(
                "http".equals(b.baseUrl.getScheme())
                    ? HttpClient.Version.HTTP_1_1
                    : HttpClient.Version.HTTP_2)
            .build();
    this.requestTimeout = b.requestTimeout;
    this.maxAttempts = b.maxAttempts;
    this.sleeper = b.sleeper;
    this.clock = b.clock;
  }

  /**
   * A client of the API under {@code baseUrl}, such as {@code https://openrouter.ai/api/v1}.
   *
   * @param apiKey the provider's key, sent as a bearer token
   * @throws IllegalArgumentException if the URL is not http(s), or the key not visible ASCII
   */
  public static Builder builder(URI baseUrl, String apiKey) {
    return new Builder(baseUrl, apiKey);
  }

  /**
   * Asks the model for its next message.
   *
   * @param model the model's name at the provider
   * @param messages the conversation so far
   * @param tools the tools it may call
   * @param toolChoice "auto", or "none" to have it answer in text although tools are offered
   * @throws ChatProviderException if the provider refused the request, or kept failing
   * @throws InterruptedException if interrupted; the call under way is aborted
   */
  public ChatTurn complete(
      String model, List<JsonNode> messages, List<Tool> tools, String toolChoice)
      throws ChatProviderException, InterruptedException {
    return complete(model, messages, tools, toolChoice, () -> false);
  }

  /** As the public form, aborting with a CancellationException as soon as {@code abort} says. */
  ChatTurn complete(
      String model,
      List<JsonNode> messages,
      List<Tool> tools,
      String toolChoice,
      BooleanSupplier abort)
      throws ChatProviderException, InterruptedException {
    String body = requestBody(model, messages, tools, toolChoice);
    String lastProblem = "";
    int lastStatus = 0;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      HttpResponse<String> response;
      try {
        response = send(body, abort);
      } catch (IOException e) {
        lastProblem = "no answer (" + e.getClass().getSimpleName() + ")";
        backOff(attempt, null, lastProblem, abort);
        continue;
      }
      lastStatus = response.statusCode();
      if (lastStatus == 429 || lastStatus >= 500) {
        lastProblem = "HTTP " + lastStatus + ": " + snippet(response.body());
        String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
        backOff(attempt, retryAfter, lastProblem, abort);
        continue;
      }
      if (lastStatus >= 400) {
        throw new ChatProviderException(
            "the model provider refused the request: HTTP "
                + lastStatus
                + ": "
                + snippet(response.body()),
            lastStatus,
            false);
      }
      try {
        return parse(response.body());
      } catch (IllegalArgumentException e) {
        lastProblem = "a malformed answer: " + e.getMessage();
        backOff(attempt, null, lastProblem, abort);
      }
    }
    throw new ChatProviderException(
        "the model provider kept failing; after " + maxAttempts + " attempts, " + lastProblem,
        lastStatus,
        true);
  }

  /** One exchange, ended by the request timeout, an interrupt or the abort signal. */
  private HttpResponse<String> send(String body, BooleanSupplier abort)
      throws IOException, InterruptedException, ChatProviderException {
    CompletableFuture<HttpResponse<String>> call;
    try {
      HttpRequest request =
          HttpRequest.newBuilder(endpoint)
              .timeout(requestTimeout)
              .header("Authorization", "Bearer " + apiKey)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      call = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    } catch (RuntimeException e) { // its message may quote a header, the key included
      throw new ChatProviderException(
          "the request could not be made (" + e.getClass().getSimpleName() + ")", 0, false);
    }
    long end = System.nanoTime() + requestTimeout.toNanos();
    while (true) {
      try {
        return call.get(ABORT_POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (abort.getAsBoolean()) {
          call.cancel(true); // aborts the exchange
          throw new CancellationException("the model call was aborted: its task was cancelled");
        }
        if (System.nanoTime() - end
            > 0) { // the JDK's timeout ends at the headers; this at the body
          call.cancel(true);
          throw new IOException("no complete answer within " + requestTimeout);
        }
      } catch (InterruptedException e) {
        call.cancel(true);
        throw e;
      } catch (ExecutionException e) {
        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      }
    }
  }

  /**
   * Waits before the next attempt: the provider's Retry-After, or a growing, jittered delay. A
   * Retry-After beyond {@link #MAX_WAIT} ends the call, retryable, for the task to be tried again
   * later under the engine's retry policy.
   */
  private void backOff(int attempt, String retryAfter, String problem, BooleanSupplier abort)
      throws InterruptedException, ChatProviderException {
    if (attempt == maxAttempts) {
      return;
    }
    Duration wait = RetryAfter.parse(retryAfter, clock.instant()).orElse(null);
    if (wait != null && wait.compareTo(MAX_WAIT) > 0) {
      throw new ChatProviderException(
          "the model provider asks to wait " + wait.toSeconds() + " s (" + problem + ")", 0, true);
    }
    if (wait == null) {
      long base = Math.min(30_000L, 1000L << Math.min(attempt - 1, 5));
      wait = Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }
    log.info("model call attempt {} failed ({}); trying again in {}", attempt, problem, wait);
    sleeper.sleep(wait, abort);
  }

  /** Sleeps in slices, ending early once told to abort. */
  private static void sleepUnlessAborted(Duration wait, BooleanSupplier abort)
      throws InterruptedException {
    long end = System.nanoTime() + wait.toNanos();
    for (long left = wait.toMillis(); left > 0; left = (end - System.nanoTime()) / 1_000_000) {
      if (abort.getAsBoolean()) {
        throw new CancellationException("the model call was aborted: its task was cancelled");
      }
      Thread.sleep(Math.min(left, ABORT_POLL_MILLIS));
    }
  }

  private static String requestBody(
      String model, List<JsonNode> messages, List<Tool> tools, String toolChoice) {
    ObjectNode root = JSON.createObjectNode().put("model", model);
    root.putArray("messages").addAll(messages);
    if (!tools.isEmpty()) {
      ArrayNode list = root.putArray("tools");
      for (Tool t : tools) {
        ObjectNode function = list.addObject().put("type", "function").putObject("function");
        function.put("name", t.name()).put("description", t.description());
        function.set("parameters", t.parameters());
      }
      root.put("tool_choice", toolChoice);
    }
    return root.toString();
  }

  /**
   * The first choice's message, kept to what every provider takes back (role, content, tool_calls)
   * and without U+0000, which no database stores; and the usage. IllegalArgumentException when
   * malformed.
   */
  static ChatTurn parse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body.replace("\\u0000", "\\ufffd"));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + snippet(body));
    }
    JsonNode message = root == null ? null : root.path("choices").path(0).get("message");
    if (message == null || !message.isObject()) {
      throw new IllegalArgumentException("no choices[0].message in " + snippet(body));
    }
    ObjectNode kept = JSON.createObjectNode().put("role", "assistant");
    kept.set("content", message.path("content").isTextual() ? message.get("content") : null);
    if (message.path("tool_calls").size() > 0) {
      ArrayNode calls = kept.putArray("tool_calls");
      for (JsonNode call : message.path("tool_calls")) {
        JsonNode function = call.path("function");
        if (!call.path("id").isTextual() || !function.path("name").isTextual()) {
          throw new IllegalArgumentException(
              "a tool call without id or name: " + snippet(call.toString()));
        }
        ObjectNode c = calls.addObject().put("id", call.get("id").asText()).put("type", "function");
        c.putObject("function")
            .put("name", function.get("name").asText())
            .put("arguments", function.path("arguments").asText("{}"));
      }
    }
    return new ChatTurn(kept, root.path("usage").path("total_tokens").asLong(0));
  }

  /** The start of a text, on one line, control characters as ?. */
  private static String snippet(String text) {
    String flat =
        text == null ? "" : text.replaceAll("\\s+", " ").replaceAll("\\p{Cntrl}", "?").strip();
    return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
  }

  /** Settings of a {@link ChatClient}. */
  public static final class Builder {
    private final URI baseUrl;
    private final String apiKey;
    private Duration requestTimeout = Duration.ofMinutes(5);
    private int maxAttempts = 5;
    private Sleeper sleeper = ChatClient::sleepUnlessAborted;
    private Clock clock = Clock.systemUTC();

    private Builder(URI baseUrl, String apiKey) {
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
      if (!"https".equals(baseUrl.getScheme()) && !"http".equals(baseUrl.getScheme())) {
        throw new IllegalArgumentException("baseUrl must be an http or https URL, was " + baseUrl);
      }
      if (apiKey.isEmpty() || !apiKey.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        // never quoted: it is a secret
        throw new IllegalArgumentException(
            "apiKey must be visible ASCII without spaces or line breaks (a trailing newline from"
                + " a file?)");
      }
    }

    /** How long one request may take, answer included; default 5 minutes. */
    public Builder requestTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("requestTimeout must be positive, was " + timeout);
      }
      this.requestTimeout = timeout;
      return this;
    }

    /** Attempts per model call, the first included; default 5. */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1 || attempts > 20) {
        throw new IllegalArgumentException("maxAttempts must be between 1 and 20, was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    Builder sleeper(Sleeper sleeper) {
      this.sleeper = sleeper;
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public ChatClient build() {
      return new ChatClient(this);
    }
  }
}
