package dev.errand.llm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool the model may call. Its result, text the model reads, is stored as the call's durable
 * step, so it should not contain credentials (one it repeats is stored as {@code [redacted]}).
 * Implementations must be thread-safe.
 */
public interface Tool {
  /** The name the model calls it by: letters, digits, _ and -, at most 64. */
  String name();

  /** What it does and when to use it, for the model. */
  String description();

  /** The JSON schema of its arguments, an object schema. */
  JsonNode parameters();

  /**
   * Does the work.
   *
   * @param arguments the model's arguments, as JSON
   * @param call who the call is for, and the credential of that user for this tool
   * @return the result for the model; a thrown exception is reported to the model as an error,
   *     except an {@link dev.errand.agent.AgentFailure}, which ends the run as it says
   */
  String call(JsonNode arguments, ToolCall call) throws Exception;
}
