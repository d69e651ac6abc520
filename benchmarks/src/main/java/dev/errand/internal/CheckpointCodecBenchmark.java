package dev.errand.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH: what a durable step spends turning its output into the stored JSON text, and a resumed run
 * reading it back, on the engine's own codec. {@code small} is W4's step output; {@code message} is
 * an LLM turn of about 4 KB with two tool calls.
 *
 * <p>In package {@code dev.errand.internal} because the codec is internal to the engine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CheckpointCodecBenchmark {
  /** An assistant turn as an LLM agent would checkpoint it. */
  public record ToolCall(String id, String name, Map<String, Object> arguments) {}

  /** An assistant turn as an LLM agent would checkpoint it. */
  public record Message(String role, String content, List<ToolCall> toolCalls, int tokens) {}

  @Param({"small", "message"})
  public String output;

  private final Json json = new Json(Json.defaultMapper());
  private Object value;
  private Class<?> type;
  private String text;

  @Setup
  public void prepare() {
    if (output.equals("small")) {
      value = Map.of("n", 42, "note", "small output");
      type = Map.class;
    } else {
      String paragraph = "The quarterly figures show steady growth in every region. ".repeat(64);
      value =
          new Message(
              "assistant",
              paragraph,
              List.of(
                  new ToolCall("call_1", "search", Map.of("query", "Q3 revenue", "limit", 10)),
                  new ToolCall("call_2", "fetch", Map.of("url", "https://example.com/report"))),
              1_024);
      type = Message.class;
    }
    text = json.writeValue(value);
  }

  /** Step output to stored JSON text. */
  @Benchmark
  public String encode() {
    return json.writeValue(value);
  }

  /** Stored JSON text back to the step's output type, as a resumed run does. */
  @Benchmark
  public Object decode() {
    return json.read(text, type);
  }
}
