package dev.errand.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An OpenAI-compatible chat completions server over real HTTP on loopback, answering as a script
 * says and recording every request.
 */
final class FakeProvider implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** An answer: status, headers, body. */
  record Reply(int status, Map<String, String> headers, String body) {
    static Reply text(String text, long tokens) {
      ObjectNode message = JSON.createObjectNode().put("role", "assistant").put("content", text);
      return ok(message, tokens);
    }

    /** Tool calls, each "name" then its JSON arguments, with ids call_1, call_2, ... */
    static Reply tools(String... nameThenArguments) {
      ObjectNode message = JSON.createObjectNode().put("role", "assistant");
      message.putNull("content");
      ArrayNode calls = message.putArray("tool_calls");
      for (int i = 0; i < nameThenArguments.length; i += 2) {
        ObjectNode call =
            calls.addObject().put("id", "call_" + (i / 2 + 1)).put("type", "function");
        call.putObject("function")
            .put("name", nameThenArguments[i])
            .put("arguments", nameThenArguments[i + 1]);
      }
      return ok(message, 100);
    }

    static Reply status(int status, Map<String, String> headers, String body) {
      return new Reply(status, headers, body);
    }

    private static Reply ok(ObjectNode message, long tokens) {
      ObjectNode root =
          JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion");
      root.putArray("choices")
          .addObject()
          .put("index", 0)
          .put("finish_reason", "stop")
          .set("message", message);
      root.putObject("usage").put("total_tokens", tokens);
      return new Reply(200, Map.of(), root.toString());
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private volatile Function<JsonNode, Reply> script;

  private FakeProvider(Function<JsonNode, Reply> script) throws IOException {
    this.script = script;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(threads);
    server.createContext("/v1/chat/completions", this::handle);
    server.start();
  }

  static FakeProvider start(Function<JsonNode, Reply> script) throws IOException {
    return new FakeProvider(script);
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  List<JsonNode> requests() {
    return List.copyOf(requests);
  }

  List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  /** Which model turn a request asks for: the number of the model's answers it already holds. */
  static int turn(JsonNode request) {
    int n = 0;
    for (JsonNode m : request.path("messages")) {
      if (m.path("role").asText().equals("assistant")
          && !m.path("tool_calls").path(0).path("id").asText().equals("load_skill")) {
        n++;
      }
    }
    return n;
  }

  /** How many requests asked for the turn. */
  long requestsFor(int turn) {
    return requests.stream().filter(r -> turn(r) == turn).count();
  }

  /**
   * What a strict provider would refuse in the conversation: a tool call not answered (by id)
   * before the next message, an answer to no call, tool messages without the tools declared, an
   * assistant message with fields beyond role, content and tool_calls; or null.
   */
  static String problem(JsonNode request) {
    java.util.Set<String> open = new java.util.HashSet<>();
    boolean anyToolCalls = false;
    for (JsonNode m : request.path("messages")) {
      String role = m.path("role").asText();
      if (role.equals("tool")) {
        if (!open.remove(m.path("tool_call_id").asText())) {
          return "a tool message answers no open tool call";
        }
        continue;
      }
      if (!open.isEmpty()) {
        return "tool calls " + open + " were not answered";
      }
      if (role.equals("assistant")) {
        java.util.Iterator<String> fields = m.fieldNames();
        while (fields.hasNext()) {
          String f = fields.next();
          if (!List.of("role", "content", "tool_calls").contains(f)) {
            return "unexpected assistant field " + f;
          }
        }
        for (JsonNode call : m.path("tool_calls")) {
          open.add(call.path("id").asText());
          anyToolCalls = true;
        }
      }
    }
    if (!open.isEmpty()) {
      return "tool calls " + open + " were not answered";
    }
    if (anyToolCalls && !request.has("tools")) {
      return "the history has tool calls but no tools are declared";
    }
    return null;
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
      requests.add(request);
      authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
      String problem = problem(request);
      Reply reply =
          problem == null
              ? script.apply(request)
              : Reply.status(400, Map.of(), "{\"error\": {\"message\": \"" + problem + "\"}}");
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(reply.status(), body.length);
      exchange.getResponseBody().write(body);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
