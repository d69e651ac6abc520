package dev.errand.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.InvalidField;
import dev.errand.Task;
import dev.errand.TaskEngine;
import dev.errand.TaskRequest;
import dev.errand.TaskValidationException;
import dev.errand.http.Caller;
import dev.errand.http.RateLimits.Endpoint;
import dev.errand.schedule.OverlapPolicy;
import dev.errand.schedule.RecurrenceForm;
import dev.errand.schedule.Schedule;
import dev.errand.schedule.ScheduleRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Contract A's task endpoints under /api/v1/tasks; every task is the caller's organization's. */
@Path("api/v1/tasks")
@Produces(MediaType.APPLICATION_JSON)
public final class TasksResource {
  /** A cancel's body. */
  record CancelBody(String reason, Boolean force) {}

  /** A submit's body, as the document shows it. */
  record SubmitBody(
      String taskType, Integer priority, JsonNode input, String webhookUrl, JsonNode metadata) {}

  private final TaskEngine engine;
  private final EventStreams streams;
  private final Clock clock;

  public TasksResource(TaskEngine engine, EventStreams streams, Clock clock) {
    this.engine = engine;
    this.streams = streams;
    this.clock = clock;
  }

  /**
   * Submits a task; 202 with its id at once. With an Idempotency-Key header, a repeat of the key in
   * the organization answers with the first task instead of creating another.
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Limited(Endpoint.SUBMIT_TASK)
  public Response submit(
      @Context SecurityContext security,
      @HeaderParam("Idempotency-Key") String idempotencyKey,
      SubmitBody body) {
    Caller caller = AuthFilter.caller(security);
    if (body == null) {
      throw new TaskValidationException(
          List.of(new InvalidField("body", "must be a JSON object with task_type")));
    }
    TaskRequest.Builder request =
        TaskRequest.builder(body.taskType())
            .organizationId(caller.organizationId())
            .ownerId(caller.userId())
            .idempotencyKey(idempotencyKey);
    if (body.priority() != null) {
      request.priority(body.priority());
    }
    if (body.input() != null) {
      request.input(body.input());
    }
    if (body.metadata() != null) {
      request.metadata(body.metadata());
    }
    if (body.webhookUrl() != null) {
      request.webhookUrl(webhookUrl(body.webhookUrl()));
    }
    if (body.input() != null && body.input().has("schedule")) {
      return Response.accepted(
              ScheduleViews.of(schedule(request.build(), body.input().get("schedule"))))
          .build();
    }
    Task task = engine.submit(request.build());
    return Response.accepted(TaskViews.accepted(task, engine.estimatedCompletion(task))).build();
  }

  /**
   * A recurring schedule from {@code input.schedule}: the document's form, plus optionally {@code
   * overlap} (skip, queue or cancel_previous) and {@code catch_up} (how many missed occurrences
   * fire after downtime, 1 to 1000).
   */
  private Schedule schedule(TaskRequest template, JsonNode form) {
    List<InvalidField> bad = new ArrayList<>();
    OverlapPolicy overlap = OverlapPolicy.SKIP;
    String overlapText = form.path("overlap").asText("skip");
    try {
      overlap = OverlapPolicy.valueOf(overlapText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      bad.add(
          new InvalidField(
              "input.schedule.overlap",
              "must be skip, queue or cancel_previous, was '" + overlapText + "'"));
    }
    JsonNode catchUpNode = form.path("catch_up");
    int catchUp = catchUpNode.isMissingNode() ? 1 : catchUpNode.asInt(0);
    if (!catchUpNode.isMissingNode()
        && (!catchUpNode.isIntegralNumber() || catchUp < 1 || catchUp > 1000)) {
      bad.add(new InvalidField("input.schedule.catch_up", "must be a whole number 1 to 1000"));
    }
    try {
      RecurrenceForm.parse(form, "input.schedule"); // every problem of the form reported together
    } catch (TaskValidationException e) {
      bad.addAll(e.invalidFields());
    }
    if (!bad.isEmpty()) {
      throw new TaskValidationException(bad);
    }
    return engine.createSchedule(new ScheduleRequest(template, form, overlap, catchUp));
  }

  /** A page of the organization's tasks, filtered and sorted as asked. */
  @GET
  @Limited(Endpoint.LIST_TASKS)
  public ListViews.Page list(
      @Context SecurityContext security,
      @QueryParam("status") String status,
      @QueryParam("task_type") String taskType,
      @QueryParam("limit") String limit,
      @QueryParam("offset") String offset,
      @QueryParam("sort_by") String sortBy,
      @QueryParam("sort_order") String sortOrder) {
    String org = AuthFilter.caller(security).organizationId();
    return ListViews.of(
        engine.list(ListParams.parse(org, status, taskType, limit, offset, sortBy, sortOrder)));
  }

  /**
   * Cancels a pending or processing task; the body {@code {reason, force}} is optional. 409 when
   * the task has already finished.
   */
  @POST
  @Path("{taskId}/cancel")
  public TaskViews.Cancelled cancel(
      @Context SecurityContext security, @PathParam("taskId") String id, String body)
      throws IOException {
    Task task = owned(AuthFilter.caller(security), id);
    CancelBody parsed =
        body == null || body.isBlank()
            ? null
            : WireProviders.MAPPER.readValue(body, CancelBody.class);
    CancelBody cancel = parsed == null ? new CancelBody(null, null) : parsed; // "null" too
    if (task.isFinal()) {
      throw ApiException.conflict(
          "TASK_ALREADY_FINISHED", "task " + id + " has already finished", task.status());
    }
    boolean force = Boolean.TRUE.equals(cancel.force());
    return TaskViews.cancelled(engine.cancel(task.id(), cancel.reason(), force));
  }

  /** A finished task's results; 409 while it is still pending or processing. */
  @GET
  @Path("{taskId}/results")
  public TaskViews.Results results(
      @Context SecurityContext security, @PathParam("taskId") String id) {
    Task task = owned(AuthFilter.caller(security), id);
    if (!task.isFinal()) {
      throw ApiException.conflict(
          "TASK_NOT_FINISHED", "task " + id + " has not finished yet", task.status());
    }
    return TaskViews.results(task);
  }

  /**
   * Server-Sent Events of one task, from the event after Last-Event-ID (or from now), ending with
   * its final event.
   */
  @GET
  @Path("{taskId}/events")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void events(
      @Context SecurityContext security,
      @PathParam("taskId") String id,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context SseEventSink sink,
      @Context Sse sse) {
    Caller caller = AuthFilter.caller(security);
    streams.open(caller.organizationId(), owned(caller, id).id(), lastEventId, sink, sse);
  }

  /** A task's status and progress. */
  @GET
  @Path("{taskId}")
  @Limited(Endpoint.GET_TASK)
  public TaskViews.Status get(@Context SecurityContext security, @PathParam("taskId") String id) {
    Task task = owned(AuthFilter.caller(security), id);
    return TaskViews.status(task, engine.estimatedCompletion(task), clock.instant());
  }

  /** The task if it exists and is the caller's organization's; else 404, the same either way. */
  private Task owned(Caller caller, String wireId) {
    return TaskIds.parse(wireId)
        .flatMap(engine::find)
        .filter(t -> t.organizationId().equals(caller.organizationId()))
        .orElseThrow(() -> ApiException.notFound(wireId));
  }

  private static URI webhookUrl(String text) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw new TaskValidationException(
          List.of(new InvalidField("webhookUrl", "must be an absolute https or http URL")));
    }
  }
}
