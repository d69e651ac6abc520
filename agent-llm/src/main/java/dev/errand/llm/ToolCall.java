package dev.errand.llm;

import java.util.Optional;
import java.util.UUID;

/** One call of a tool: which task and user it is for, and that user's credential for the tool. */
public final class ToolCall {
  private final UUID taskId;
  private final String userEmail;
  private final String tool;
  private final ToolCredentials credentials;

  ToolCall(UUID taskId, String userEmail, String tool, ToolCredentials credentials) {
    this.taskId = taskId;
    this.userEmail = userEmail;
    this.tool = tool;
    this.credentials = credentials;
  }

  /** The task the call is made for. */
  public UUID taskId() {
    return taskId;
  }

  /** The task's user_email, or {@code null} if it has none. */
  public String userEmail() {
    return userEmail;
  }

  /** The user's credential for this tool, looked up now; empty if the user has not connected it. */
  public Optional<String> credential() {
    return userEmail == null ? Optional.empty() : credentials.find(userEmail, tool);
  }

  @Override
  public String toString() {
    return "ToolCall[" + tool + " for task " + taskId + "]";
  }
}
