package dev.errand.http.internal;

import dev.errand.TaskEngine;
import dev.errand.http.Caller;
import dev.errand.schedule.Schedule;
import dev.errand.schedule.ScheduleNotFoundException;
import dev.errand.schedule.ScheduleStatus;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.UUID;

/**
 * The organization's recurring schedules, created by POST /api/v1/tasks with {@code
 * input.schedule}: list, read, pause, resume and delete. Another organization's schedule is 404.
 */
@Path("api/v1/schedules")
@Produces(MediaType.APPLICATION_JSON)
public final class SchedulesResource {
  private final TaskEngine engine;

  public SchedulesResource(TaskEngine engine) {
    this.engine = engine;
  }

  /** A page of the organization's schedules, oldest first. */
  @GET
  public ScheduleViews.Page list(
      @Context SecurityContext security,
      @QueryParam("limit") String limit,
      @QueryParam("offset") String offset) {
    String org = AuthFilter.caller(security).organizationId();
    int[] page = ListParams.page(limit, offset);
    return new ScheduleViews.Page(
        engine.listSchedules(org, page[1], page[0]).stream().map(ScheduleViews::of).toList(),
        page[1],
        page[0]);
  }

  @GET
  @Path("{scheduleId}")
  public ScheduleViews.View get(
      @Context SecurityContext security, @PathParam("scheduleId") String id) {
    return ScheduleViews.of(own(security, id));
  }

  /** Stops creating tasks until resumed. */
  @POST
  @Path("{scheduleId}/pause")
  public ScheduleViews.View pause(
      @Context SecurityContext security, @PathParam("scheduleId") String id) {
    return ScheduleViews.of(engine.pauseSchedule(own(security, id).id()));
  }

  /** Creates tasks again, from the next occurrence after now. */
  @POST
  @Path("{scheduleId}/resume")
  public ScheduleViews.View resume(
      @Context SecurityContext security, @PathParam("scheduleId") String id) {
    return ScheduleViews.of(engine.resumeSchedule(own(security, id).id()));
  }

  /** Deletes it: 204; the tasks it created stay. */
  @DELETE
  @Path("{scheduleId}")
  public Response delete(@Context SecurityContext security, @PathParam("scheduleId") String id) {
    engine.deleteSchedule(own(security, id).id());
    return Response.noContent().build();
  }

  /** The caller's organization's schedule, not deleted; otherwise not found. */
  private Schedule own(SecurityContext security, String wireId) {
    Caller caller = AuthFilter.caller(security);
    UUID id =
        ScheduleViews.parse(wireId)
            .orElseThrow(
                () ->
                    new ApiException(
                        404, "SCHEDULE_NOT_FOUND", "no schedule " + wireId, java.util.Map.of()));
    return engine
        .findSchedule(id)
        .filter(s -> s.organizationId().equals(caller.organizationId()))
        .filter(s -> s.status() != ScheduleStatus.DELETED)
        .orElseThrow(() -> new ScheduleNotFoundException(id));
  }
}
