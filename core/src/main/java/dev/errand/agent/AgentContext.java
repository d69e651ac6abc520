package dev.errand.agent;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;

/**
 * What an agent is given while it runs one task. A context belongs to one run and is used from the
 * agent's thread.
 *
 * <p>Every write the context makes (step outputs, progress, previews) is fenced: if the worker no
 * longer holds the task's lease, the write is refused and a {@link dev.errand.LeaseLostException}
 * is thrown so the run stops.
 */
public interface AgentContext {
  /** The task's id. */
  UUID taskId();

  /** The task's type. */
  String taskType();

  /** The organization that owns the task. */
  String organizationId();

  /** Who submitted the task. */
  String ownerId();

  /** The task's input as JSON. */
  JsonNode input();

  /**
   * The task's input converted to a type with the engine's ObjectMapper.
   *
   * @throws IllegalArgumentException if the input does not convert
   */
  <T> T input(Class<T> type);

  /** The task's metadata, a JSON object. */
  JsonNode metadata();

  /** The skill the agent must load first, or {@code null}. */
  String skillRef();

  /** The model the caller asked for, or {@code null}. */
  String model();

  /** This run's number, 1 for the first. */
  int attempt();

  /**
   * The fencing token of this run's lease. It grows with every claim of the task, so an external
   * system can refuse writes from a run older than the newest it has seen.
   */
  long fence();

  /**
   * Runs a durable step. Steps are identified by name and occurrence: the third call of
   * step("fetch", ..) in a run is "fetch" occurrence 3. If that step completed in an earlier run of
   * this task, its stored output is returned and {@code body} does not run; otherwise {@code body}
   * runs and its output is stored, fenced, before it is returned.
   *
   * <p>Before the step, a requested cancel is honoured by throwing {@link
   * dev.errand.TaskCancelledException}.
   *
   * @param name the step's name, not blank
   * @param type the output's type, written to and read back from JSON
   * @param body the work
   * @return the output
   * @throws dev.errand.TaskCancelledException if a cancel was requested
   * @throws dev.errand.LeaseLostException if the worker no longer holds the task
   * @throws Exception what {@code body} threw
   */
  <T> T step(String name, Class<T> type, StepBody<T> body) throws Exception;

  /**
   * Runs a durable step whose output has a generic type, such as {@code new
   * TypeReference<List<Source>>() {}}; otherwise as {@link #step(String, Class, StepBody)}.
   */
  <T> T step(String name, TypeReference<T> type, StepBody<T> body) throws Exception;

  /**
   * Reports progress. When the stage differs from the current one, the current stage is added to
   * the stages completed.
   *
   * @param percentage 0 to 100
   * @param stage the stage now running
   * @throws IllegalArgumentException if percentage is out of range
   * @throws dev.errand.LeaseLostException if the worker no longer holds the task
   */
  void progress(int percentage, String stage);

  /**
   * Reports progress with an explicit list of completed stages.
   *
   * @throws IllegalArgumentException if percentage is out of range
   * @throws dev.errand.LeaseLostException if the worker no longer holds the task
   */
  void progress(int percentage, String stage, List<String> stagesCompleted);

  /**
   * Publishes partial output that callers can read while the task runs. It is kept if the task is
   * cancelled.
   *
   * @param preview any value the ObjectMapper can write
   * @throws dev.errand.LeaseLostException if the worker no longer holds the task
   */
  void preview(Object preview);

  /** Whether a cancel has been requested; an agent may check it between long operations. */
  boolean isCancelRequested();
}
