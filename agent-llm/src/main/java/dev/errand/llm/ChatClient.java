package dev.errand.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * tried again, after the provider's Retry-After or else a growing, jittered delay, up to the
 * attempts; another 4xx is not. An interrupt aborts the call under way (as does, for an agent's
 * call, its task's cancellation). The API key goes only into the Authorization header: never into a
 * message, an exception or a log.
 */
public final class ChatClient {
  /** Waits between attempts; a seam for tests. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
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

  private ChatClient(Builder b) {
    String base = b.baseUrl.toString();
    this.endpoint =
        URI.create(base.endsWith("/") ? base + "chat/completions" : base + "/chat/completions");
    this.apiKey = b.apiKey;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.requestTimeout = b.requestTimeout;
    this.maxAttempts = b.maxAttempts;
    this.sleeper = b.sleeper;
  }

  /**
   * A client of the API under {@code baseUrl}, such as {@code https://openrouter.ai/api/v1}.
   *
   * @param apiKey the provider's key, sent as a bearer token
   */
  public static Builder builder(URI baseUrl, String apiKey) {
    return new Builder(baseUrl, apiKey);
  }

  /**
   * Asks the model for its next message.
   *
   * @param model the model's name at the provider
   * @param messages the conversation so far
   * @param tools the tools it may call; none for an answer in text only
   * @throws ChatProviderException if the provider refused the request, or kept failing
   * @throws InterruptedException if interrupted; the call under way is aborted
   */
  public ChatTurn complete(String model, List<JsonNode> messages, List<Tool> tools)
      throws ChatProviderException, InterruptedException {
    return complete(model, messages, tools, () -> false);
  }

  /**
   * As {@link #complete(String, List, List)}, aborting the call under way as soon as {@code abort}
   * says so (it is asked every {@value #ABORT_POLL_MILLIS} ms), with a CancellationException.
   */
  ChatTurn complete(String model, List<JsonNode> messages, List<Tool> tools, BooleanSupplier abort)
      throws ChatProviderException, InterruptedException {
    String body = requestBody(model, messages, tools);
    String lastProblem = "";
    int lastStatus = 0;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      HttpResponse<String> response;
      try {
        response = send(body, abort);
      } catch (IOException e) {
        lastProblem = "no answer (" + e.getClass().getSimpleName() + ")";
        backOff(attempt, null, lastProblem);
        continue;
      }
      lastStatus = response.statusCode();
      if (lastStatus == 429 || lastStatus >= 500) {
        lastProblem = "HTTP " + lastStatus + ": " + snippet(response.body());
        backOff(attempt, response.headers().firstValue("Retry-After").orElse(null), lastProblem);
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
        backOff(attempt, null, lastProblem);
      }
    }
    throw new ChatProviderException(
        "the model provider kept failing; after " + maxAttempts + " attempts, " + lastProblem,
        lastStatus,
        true);
  }

  private HttpResponse<String> send(String body, BooleanSupplier abort)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(requestTimeout)
            .header("Authorization", "Bearer " + apiKey)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    CompletableFuture<HttpResponse<String>> call =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    while (true) {
      try {
        return call.get(ABORT_POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (abort.getAsBoolean()) {
          call.cancel(true); // aborts the exchange
          throw new CancellationException("the model call was aborted: its task was cancelled");
        }
      } catch (InterruptedException e) {
        call.cancel(true);
        throw e;
      } catch (ExecutionException e) {
        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      }
    }
  }

  private void backOff(int attempt, String retryAfter, String problem) throws InterruptedException {
    if (attempt == maxAttempts) {
      return;
    }
    Duration wait = retryAfter(retryAfter);
    if (wait == null) {
      long base = Math.min(30_000L, 1000L << Math.min(attempt - 1, 5));
      wait = Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }
    log.info("model call attempt {} failed ({}); trying again in {}", attempt, problem, wait);
    sleeper.sleep(wait);
  }

  private static Duration retryAfter(String value) {
    if (value == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(value.strip());
      return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, MAX_WAIT.toSeconds()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String requestBody(String model, List<JsonNode> messages, List<Tool> tools) {
    ObjectNode root = JSON.createObjectNode().put("model", model);
    root.putArray("messages").addAll(messages);
    if (!tools.isEmpty()) {
      ArrayNode list = root.putArray("tools");
      for (Tool t : tools) {
        ObjectNode function = list.addObject().put("type", "function").putObject("function");
        function.put("name", t.name()).put("description", t.description());
        function.set("parameters", t.parameters());
      }
    }
    return root.toString();
  }

  /** The first choice's message and the usage; IllegalArgumentException when malformed. */
  static ChatTurn parse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + snippet(body));
    }
    JsonNode message = root == null ? null : root.path("choices").path(0).get("message");
    if (message == null || !message.isObject()) {
      throw new IllegalArgumentException("no choices[0].message in " + snippet(body));
    }
    for (JsonNode call : message.path("tool_calls")) {
      if (!call.path("id").isTextual() || !call.path("function").path("name").isTextual()) {
        throw new IllegalArgumentException(
            "a tool call without id or name: " + snippet(call.toString()));
      }
    }
    return new ChatTurn(message, root.path("usage").path("total_tokens").asLong(0));
  }

  private static String snippet(String text) {
    String flat = text == null ? "" : text.replaceAll("\\s+", " ").strip();
    return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
  }

  /** Settings of a {@link ChatClient}. */
  public static final class Builder {
    private final URI baseUrl;
    private final String apiKey;
    private Duration requestTimeout = Duration.ofMinutes(5);
    private int maxAttempts = 5;
    private Sleeper sleeper = d -> Thread.sleep(d.toMillis());

    private Builder(URI baseUrl, String apiKey) {
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
      if (!"https".equals(baseUrl.getScheme()) && !"http".equals(baseUrl.getScheme())) {
        throw new IllegalArgumentException("baseUrl must be an http or https URL, was " + baseUrl);
      }
    }

    /** How long one request may take; default 5 minutes. */
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

    public ChatClient build() {
      return new ChatClient(this);
    }
  }
}
