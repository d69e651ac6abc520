package dev.errand.llm;

import java.util.Optional;

/**
 * Where a tool's credential for a user comes from: looked up at each call, held in memory only,
 * never written to a checkpoint or a log by Errand.
 */
@FunctionalInterface
public interface ToolCredentials {
  /** No credentials for anyone. */
  ToolCredentials NONE = (userEmail, tool) -> Optional.empty();

  /**
   * The credential of the user for the tool, if the user has connected it.
   *
   * @param userEmail the task's user_email
   * @param tool the tool's name
   */
  Optional<String> find(String userEmail, String tool);
}
