package dev.errand.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One answer of the model, as stored in its durable step: the assistant message as the provider
 * returned it and the tokens the call used.
 *
 * @param message the assistant message: role, content, tool_calls
 * @param totalTokens prompt and completion tokens of the call
 */
public record ChatTurn(JsonNode message, long totalTokens) {
  /** A function the model asked to call: the call's id, the tool's name, JSON arguments. */
  public record ToolRequest(String id, String name, String arguments) {}

  /** The message's text, empty if it has none. */
  public String text() {
    JsonNode content = message.path("content");
    return content.isTextual() ? content.asText() : "";
  }

  /** The calls the model asked for, in order; empty when it answered without. */
  public List<ToolRequest> toolCalls() {
    List<ToolRequest> out = new ArrayList<>();
    for (JsonNode call : message.path("tool_calls")) {
      JsonNode function = call.path("function");
      out.add(
          new ToolRequest(
              call.path("id").asText(),
              function.path("name").asText(),
              function.path("arguments").asText("{}")));
    }
    return out;
  }
}
