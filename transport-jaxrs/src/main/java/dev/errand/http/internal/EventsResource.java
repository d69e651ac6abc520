package dev.errand.http.internal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * Server-Sent Events of the caller's organization. Each event's id is opaque, made for this
 * organization ({@link EventIds}); a client that reconnects with Last-Event-ID receives every later
 * event, with {@code 0} every event kept, and without it only events from now on. A task's own
 * stream is {@code GET /api/v1/tasks/{id}/events}, in {@link TasksResource}.
 */
@Path("api/v1/events")
public final class EventsResource {
  private final EventStreams streams;

  public EventsResource(EventStreams streams) {
    this.streams = streams;
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void organizationEvents(
      @Context SecurityContext security,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context SseEventSink sink,
      @Context Sse sse) {
    streams.open(AuthFilter.caller(security).organizationId(), null, lastEventId, sink, sse);
  }
}
