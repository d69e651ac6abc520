package dev.errand.http;

import dev.errand.agent.SkillRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How the agent-task endpoints ({@code /api/v1/agent-task}) run prompts: the task type of the agent
 * that runs them, the API keys callers must present, the skills a task may point at, and the models
 * a task may ask for. Immutable.
 */
public final class AgentTasks {
  /** The default task type of agent tasks. */
  public static final String DEFAULT_TASK_TYPE = "agent";

  private final String taskType;
  private final ApiKeys apiKeys;
  private final SkillRegistry skills;
  private final String defaultModel;
  private final Set<String> allowedModels;

  private AgentTasks(Builder b) {
    this.taskType = b.taskType;
    this.apiKeys = b.apiKeys;
    this.skills = b.skills;
    this.defaultModel = b.defaultModel;
    Set<String> allowed = new HashSet<>(b.allowedModels);
    allowed.add(b.defaultModel);
    this.allowedModels = Set.copyOf(allowed);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The task type of submitted prompts. */
  public String taskType() {
    return taskType;
  }

  /** The keys callers must present. */
  public ApiKeys apiKeys() {
    return apiKeys;
  }

  /** The skills a task may point at. */
  public SkillRegistry skills() {
    return skills;
  }

  /** The model a task gets when it names none, or one not allowed. */
  public String defaultModel() {
    return defaultModel;
  }

  /** The models a task may name; the default model is always among them. */
  public Set<String> allowedModels() {
    return allowedModels;
  }

  /** The model a request gets: its own if allowed, else the default. */
  public String modelFor(String requested) {
    return requested != null && allowedModels.contains(requested) ? requested : defaultModel;
  }

  /** Why a requested model was not used, or empty when it was (or none was asked for). */
  public Optional<String> modelWarning(String requested) {
    if (requested == null || allowedModels.contains(requested)) {
      return Optional.empty();
    }
    return Optional.of(
        "model '"
            + requested
            + "' is not on the allowed list "
            + allowedModels.stream().sorted().toList()
            + "; using '"
            + defaultModel
            + "'");
  }

  /** Configures {@link AgentTasks}. Not thread-safe. */
  public static final class Builder {
    private String taskType = DEFAULT_TASK_TYPE;
    private ApiKeys apiKeys;
    private SkillRegistry skills = SkillRegistry.of(List.of());
    private String defaultModel;
    private Set<String> allowedModels = Set.of();

    private Builder() {}

    /** The task type whose agent runs prompts; default {@value AgentTasks#DEFAULT_TASK_TYPE}. */
    public Builder taskType(String taskType) {
      this.taskType = Objects.requireNonNull(taskType, "taskType");
      return this;
    }

    /** The API keys callers must present; required. */
    public Builder apiKeys(ApiKeys apiKeys) {
      this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
      return this;
    }

    /** The skills a task may point at; default none. */
    public Builder skills(SkillRegistry skills) {
      this.skills = Objects.requireNonNull(skills, "skills");
      return this;
    }

    /** The model used when a task names none or one not allowed; required. */
    public Builder defaultModel(String defaultModel) {
      if (defaultModel == null || defaultModel.isBlank()) {
        throw new IllegalArgumentException(
            "defaultModel must not be blank, was '" + defaultModel + "'");
      }
      this.defaultModel = defaultModel;
      return this;
    }

    /** Other models a task may name; default none. */
    public Builder allowedModels(Set<String> allowedModels) {
      this.allowedModels = Set.copyOf(allowedModels);
      return this;
    }

    /**
     * @throws IllegalStateException if apiKeys or defaultModel was not set
     */
    public AgentTasks build() {
      if (apiKeys == null) {
        throw new IllegalStateException("apiKeys is required: every agent task presents one");
      }
      if (defaultModel == null) {
        throw new IllegalStateException("defaultModel is required");
      }
      return new AgentTasks(this);
    }
  }
}
