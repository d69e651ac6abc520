package dev.errand.http.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.errand.InvalidField;
import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.agent.Skill;
import dev.errand.http.AgentTasks;
import dev.errand.http.Caller;
import dev.errand.http.RateLimits.Endpoint;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Contract B: a prompt for the autonomous agent, run as one of the organization's users, polled
 * until an uppercase final status.
 */
@Path("api/v1/agent-task")
@Produces(MediaType.APPLICATION_JSON)
public final class AgentTaskResource {
  /** The largest prompt accepted, in characters. */
  static final int MAX_PROMPT_CHARS = 100_000;

  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

  record SubmitBody(
      String caylexApiKey, String userEmail, String prompt, String skillRef, String model) {}

  record Queued(String taskId, String status, String model, String modelWarning) {}

  private final TaskEngine engine;
  private final AgentTasks settings;

  public AgentTaskResource(TaskEngine engine, AgentTasks settings) {
    this.engine = engine;
    this.settings = settings;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Limited(Endpoint.SUBMIT_TASK)
  public Response submit(
      @Context SecurityContext security,
      @HeaderParam("Idempotency-Key") String idempotencyKey,
      SubmitBody body) {
    Caller caller = AuthFilter.caller(security);
    check(body);
    checkKey(caller, body.caylexApiKey());
    Optional<Skill> skill = skill(body.skillRef());
    String model = settings.modelFor(body.model());
    String warning = settings.modelWarning(body.model()).orElse(null);
    ObjectNode input = JsonNodeFactory.instance.objectNode();
    input.put("prompt", body.prompt()).put("user_email", body.userEmail());
    ObjectNode metadata = JsonNodeFactory.instance.objectNode().put("model_warning", warning);
    Task task =
        engine.submit(
            TaskRequest.builder(settings.taskType())
                .organizationId(caller.organizationId())
                .ownerId(body.userEmail())
                .input(input)
                .metadata(metadata)
                .skillRef(skill.map(Skill::id).orElse(null))
                .model(model)
                .idempotencyKey(idempotencyKey)
                .build());
    if (!task.taskType().equals(settings.taskType())) {
      throw new ApiException(
          409,
          "IDEMPOTENCY_KEY_REUSED",
          "Idempotency-Key '" + idempotencyKey + "' already names a task of another kind",
          Map.of("task_id", TaskIds.format(task.id())));
    }
    // a repeated key answers with the first task as it was queued
    String storedWarning = task.metadata().path("model_warning").textValue();
    return Response.accepted(
            new Queued(task.id().toString(), "queued", task.model(), storedWarning))
        .build();
  }

  @GET
  @Path("{taskId}")
  @Limited(Endpoint.GET_TASK)
  public AgentTaskView get(@Context SecurityContext security, @PathParam("taskId") String id) {
    String org = AuthFilter.caller(security).organizationId();
    return parse(id)
        .flatMap(engine::find)
        .filter(t -> t.organizationId().equals(org) && t.taskType().equals(settings.taskType()))
        .map(AgentTaskView::of)
        .orElseThrow(() -> ApiException.notFound(id));
  }

  /** A plain UUID, as this contract writes ids, or the task API's {@code task_} form. */
  private static Optional<UUID> parse(String id) {
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return TaskIds.parse(id);
    }
  }

  private static void check(SubmitBody body) {
    List<InvalidField> invalid = new ArrayList<>();
    if (body == null || blank(body.caylexApiKey())) {
      invalid.add(new InvalidField("caylex_api_key", "is required"));
    }
    if (body == null || blank(body.userEmail())) {
      invalid.add(new InvalidField("user_email", "is required"));
    } else if (!EMAIL.matcher(body.userEmail()).matches() || body.userEmail().length() > 200) {
      invalid.add(new InvalidField("user_email", "must be an email address of at most 200 chars"));
    }
    if (body == null || blank(body.prompt())) {
      invalid.add(new InvalidField("prompt", "is required"));
    } else if (body.prompt().length() > MAX_PROMPT_CHARS) {
      invalid.add(
          new InvalidField("prompt", "must be at most " + MAX_PROMPT_CHARS + " characters"));
    }
    if (!invalid.isEmpty()) {
      throw ApiException.invalid("TASK_VALIDATION_FAILED", "Invalid agent task", invalid);
    }
  }

  private void checkKey(Caller caller, String key) {
    String owner = settings.apiKeys().organizationOf(key).orElse(null);
    if (!caller.organizationId().equals(owner)) { // the same answer whether unknown or another's
      throw new ApiException(
          403, "FORBIDDEN", "caylex_api_key is not a key of this organization", Map.of());
    }
  }

  private Optional<Skill> skill(String ref) {
    if (ref == null) {
      return Optional.empty();
    }
    Skill skill =
        settings
            .skills()
            .find(ref)
            .orElseThrow(
                () ->
                    new ApiException(
                        404,
                        "SKILL_NOT_FOUND",
                        "no skill named '" + ref + "' in this project",
                        Map.of("skill_ref", ref)));
    return Optional.of(skill);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
