package dev.errand.llm;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One call of a tool: which task, organization and user it is for, that user's credential for the
 * tool, and a key that is the same if the call is made again after a crash.
 */
public final class ToolCall {
  private final UUID taskId;
  private final String organizationId;
  private final String userEmail;
  private final String tool;
  private final int number;
  private final ToolCredentials credentials;
  private final List<String> handedOut = new CopyOnWriteArrayList<>();

  ToolCall(
      UUID taskId,
      String organizationId,
      String userEmail,
      String tool,
      int number,
      ToolCredentials credentials) {
    this.taskId = taskId;
    this.organizationId = organizationId;
    this.userEmail = userEmail;
    this.tool = tool;
    this.number = number;
    this.credentials = credentials;
  }

  /** The task the call is made for. */
  public UUID taskId() {
    return taskId;
  }

  /** The task's organization. */
  public String organizationId() {
    return organizationId;
  }

  /** The task's user_email as its submitter gave it (not authenticated), or {@code null}. */
  public String userEmail() {
    return userEmail;
  }

  /**
   * A key for this call, the same when a crash makes the run call it again (the call had not been
   * stored): pass it to services that drop repeated requests.
   */
  public String idempotencyKey() {
    return taskId + ":tool:" + number;
  }

  /** The user's credential for this tool, looked up now; empty if the user has not connected it. */
  public Optional<String> credential() {
    if (userEmail == null) {
      return Optional.empty();
    }
    Optional<String> found = credentials.find(organizationId, userEmail, tool);
    found.filter(c -> !c.isEmpty()).ifPresent(handedOut::add);
    return found;
  }

  /** The text with every credential this call handed out replaced by {@code [redacted]}. */
  String redact(String text) {
    String out = text;
    for (String secret : handedOut) {
      out = out.replace(secret, "[redacted]");
    }
    return out;
  }

  @Override
  public String toString() {
    return "ToolCall[" + tool + " for task " + taskId + "]";
  }
}
