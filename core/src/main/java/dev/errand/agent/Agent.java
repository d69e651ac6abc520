package dev.errand.agent;

/**
 * The code that runs tasks of one type. The engine calls {@link #run} on a worker thread for each
 * run of a task; a task whose worker died is run again, on any worker, and the steps it had
 * completed return their stored outputs (see {@link AgentContext#step}). Work outside steps is
 * therefore repeated on a resumed run and should be cheap and free of side effects.
 *
 * <p>An implementation is shared by all runs and must be thread-safe.
 */
@FunctionalInterface
public interface Agent {
  /**
   * Runs one task to its end.
   *
   * @param ctx the task's input, durable steps, progress and cancel flag
   * @return how the task ended
   * @throws AgentFailure to fail with a code, retried unless {@link AgentFailure#nonRetryable}
   * @throws Exception any other exception fails the run; it is retried under the retry policy
   */
  AgentResult run(AgentContext ctx) throws Exception;
}
