package dev.errand.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.Progress;
import dev.errand.TaskCancelledException;
import dev.errand.agent.AgentContext;
import dev.errand.agent.StepBody;
import dev.errand.spi.Checkpoint;
import dev.errand.spi.CheckpointWrite;
import dev.errand.spi.ProgressUpdate;
import dev.errand.spi.TaskRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * The agent's view of one run. Steps completed in earlier runs are loaded once at the start and
 * replayed by name and occurrence; new steps are stored under the run's fence as they complete.
 */
final class RunContext implements AgentContext {
  private final TaskRun run;
  private final TaskRecord task;
  private final RunEnv env;
  private final Map<String, String> completedSteps = new HashMap<>();
  private final Map<String, Integer> occurrences = new HashMap<>();
  private int percentage;
  private String stage;
  private List<String> stagesCompleted;

  RunContext(TaskRun run, RunEnv env, List<Checkpoint> checkpoints) {
    this.run = run;
    this.task = run.task();
    this.env = env;
    for (Checkpoint c : checkpoints) {
      completedSteps.put(c.stepKey(), c.output());
    }
    this.percentage = task.progressPercentage();
    this.stage = task.currentStage();
    this.stagesCompleted = task.stagesCompleted();
  }

  @Override
  public UUID taskId() {
    return task.id();
  }

  @Override
  public String taskType() {
    return task.taskType();
  }

  @Override
  public String organizationId() {
    return task.organizationId();
  }

  @Override
  public String ownerId() {
    return task.ownerId();
  }

  @Override
  public JsonNode input() {
    return env.json().tree(task.input());
  }

  @Override
  public <T> T input(Class<T> type) {
    return env.json().read(task.input(), type);
  }

  @Override
  public JsonNode metadata() {
    return env.json().tree(task.metadata());
  }

  @Override
  public String skillRef() {
    return task.skillRef();
  }

  @Override
  public String model() {
    return task.model();
  }

  @Override
  public int attempt() {
    return task.attempt();
  }

  @Override
  public long fence() {
    return task.fence();
  }

  @Override
  public <T> T step(String name, Class<T> type, StepBody<T> body) throws Exception {
    Objects.requireNonNull(type, "type");
    return step(name, body, json -> env.json().read(json, type));
  }

  @Override
  public <T> T step(String name, TypeReference<T> type, StepBody<T> body) throws Exception {
    Objects.requireNonNull(type, "type");
    return step(name, body, json -> env.json().read(json, type));
  }

  /**
   * Replays or runs a step. The output is always what its JSON reads back as, on the first run as
   * on a resumed one, so an agent sees the same types either way.
   */
  private <T> T step(String name, StepBody<T> body, Function<String, T> read) throws Exception {
    Objects.requireNonNull(body, "body");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("step name must not be blank, was '" + name + "'");
    }
    checkStillRunning();
    String key = name + "#" + occurrences.merge(name, 1, Integer::sum);
    String stored = completedSteps.get(key);
    if (stored != null) {
      return read.apply(stored);
    }
    if (run.leasePassed("run step " + key)) {
      throw run.leaseLost();
    }
    String json = env.json().writeValue(body.run());
    CheckpointWrite write =
        new CheckpointWrite(task.id(), task.fence(), key, json, env.clock().instant());
    if (!run.inStore(() -> env.store().checkpoint(write))) {
      throw run.leaseLost();
    }
    completedSteps.put(key, json);
    return read.apply(json);
  }

  private void checkStillRunning() {
    if (run.isEnded()) {
      throw run.leaseLost();
    }
    if (run.isGiveBackRequested()) {
      throw new GiveBackSignal();
    }
    if (run.isCancelRequested()) {
      throw new TaskCancelledException(task.id());
    }
  }

  @Override
  public void progress(int percentage, String stage) {
    List<String> completed = stagesCompleted;
    if (this.stage != null && !this.stage.equals(stage) && !completed.contains(this.stage)) {
      completed = new ArrayList<>(completed);
      completed.add(this.stage);
    }
    progress(percentage, stage, completed);
  }

  @Override
  public void progress(int percentage, String stage, List<String> stagesCompleted) {
    Progress checked = new Progress(percentage, stage, stagesCompleted);
    write(checked, null);
  }

  @Override
  public void preview(Object preview) {
    Objects.requireNonNull(preview, "preview");
    write(new Progress(percentage, stage, stagesCompleted), env.json().write(preview));
  }

  private void write(Progress p, String preview) {
    ProgressUpdate update =
        new ProgressUpdate(
            task.id(),
            task.fence(),
            p.percentage(),
            p.currentStage(),
            p.stagesCompleted(),
            preview,
            env.clock().instant());
    if (!run.inStore(() -> env.store().progress(update))) {
      throw run.leaseLost();
    }
    percentage = p.percentage();
    stage = p.currentStage();
    stagesCompleted = p.stagesCompleted();
    env.storeChanged().run();
  }

  @Override
  public boolean isCancelRequested() {
    return run.isCancelRequested();
  }
}
