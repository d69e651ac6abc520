package dev.errand.llm;

import java.util.Optional;

/**
 * Where a tool's credential for a user comes from: looked up at each call, held in memory only,
 * never written to a checkpoint or a log by Errand (a tool's result or error that repeats it is
 * stored with it replaced by {@code [redacted]}).
 *
 * <p>The user's email is what the task's submitter wrote in its input: it is not authenticated.
 * Look credentials up within the task's organization (which comes from the caller's verified
 * identity), so that no one can borrow another organization's users' credentials.
 */
@FunctionalInterface
public interface ToolCredentials {
  /** No credentials for anyone. */
  ToolCredentials NONE = (organizationId, userEmail, tool) -> Optional.empty();

  /**
   * The credential of the user for the tool, if the user has connected it.
   *
   * @param organizationId the task's organization
   * @param userEmail the task's user_email
   * @param tool the tool's name
   */
  Optional<String> find(String organizationId, String userEmail, String tool);
}
