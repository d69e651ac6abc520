package dev.errand.agent;

/**
 * The work of one durable step.
 *
 * @param <T> the step's output, stored as JSON when the step completes
 */
@FunctionalInterface
public interface StepBody<T> {
  /** Does the step's work and returns its output. */
  T run() throws Exception;
}
