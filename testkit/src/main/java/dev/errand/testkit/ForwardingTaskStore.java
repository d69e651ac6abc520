package dev.errand.testkit;

import dev.errand.TaskEvent;
import dev.errand.TaskQuery;
import dev.errand.schedule.Schedule;
import dev.errand.schedule.ScheduleStatus;
import dev.errand.spi.CancelCommand;
import dev.errand.spi.Checkpoint;
import dev.errand.spi.CheckpointWrite;
import dev.errand.spi.ClaimRequest;
import dev.errand.spi.Completion;
import dev.errand.spi.InsertResult;
import dev.errand.spi.ProgressUpdate;
import dev.errand.spi.ReclaimRequest;
import dev.errand.spi.Release;
import dev.errand.spi.RenewRequest;
import dev.errand.spi.RenewResult;
import dev.errand.spi.StoredPage;
import dev.errand.spi.TaskRecord;
import dev.errand.spi.TaskStore;
import dev.errand.spi.WebhookClaim;
import dev.errand.spi.WebhookOutcome;
import dev.errand.webhook.WebhookDelivery;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link TaskStore} that passes every call to another: subclass it and override the calls a test
 * wants to watch, slow down or make fail (a slow database, a partition, a store that breaks).
 *
 * <p>{@link #completeAll} is not forwarded as one call: it calls {@link #complete} for each
 * completion, so a subclass that overrides {@code complete} sees every completion.
 */
public abstract class ForwardingTaskStore implements TaskStore {
  /** The store every call goes to. */
  protected final TaskStore delegate;

  /** A store forwarding to {@code delegate}. */
  protected ForwardingTaskStore(TaskStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public InsertResult insert(TaskRecord task) {
    return delegate.insert(task);
  }

  @Override
  public InsertResult insert(Connection transaction, TaskRecord task) {
    return delegate.insert(transaction, task);
  }

  @Override
  public Optional<TaskRecord> find(UUID id) {
    return delegate.find(id);
  }

  @Override
  public StoredPage list(TaskQuery query) {
    return delegate.list(query);
  }

  @Override
  public List<TaskRecord> claim(ClaimRequest request) {
    return delegate.claim(request);
  }

  @Override
  public RenewResult renew(RenewRequest request) {
    return delegate.renew(request);
  }

  @Override
  public boolean checkpoint(CheckpointWrite write) {
    return delegate.checkpoint(write);
  }

  @Override
  public List<Checkpoint> checkpoints(UUID taskId) {
    return delegate.checkpoints(taskId);
  }

  @Override
  public boolean progress(ProgressUpdate update) {
    return delegate.progress(update);
  }

  @Override
  public boolean complete(Completion completion) {
    return delegate.complete(completion);
  }

  @Override
  public boolean release(Release release) {
    return delegate.release(release);
  }

  @Override
  public int reclaimExpired(ReclaimRequest request) {
    return delegate.reclaimExpired(request);
  }

  @Override
  public Optional<TaskRecord> cancel(CancelCommand command) {
    return delegate.cancel(command);
  }

  @Override
  public List<TaskEvent> eventsAfter(long afterSeq, int limit) {
    return delegate.eventsAfter(afterSeq, limit);
  }

  @Override
  public long lastEventSeq() {
    return delegate.lastEventSeq();
  }

  @Override
  public int prepareWebhookDeliveries(Instant now, int limit) {
    return delegate.prepareWebhookDeliveries(now, limit);
  }

  @Override
  public List<WebhookDelivery> claimWebhookDeliveries(WebhookClaim claim) {
    return delegate.claimWebhookDeliveries(claim);
  }

  @Override
  public boolean recordWebhookOutcome(WebhookOutcome outcome) {
    return delegate.recordWebhookOutcome(outcome);
  }

  @Override
  public void clearGoneWebhookUrl(String organizationId, String url) {
    delegate.clearGoneWebhookUrl(organizationId, url);
  }

  @Override
  public List<WebhookDelivery> webhookDeliveries(UUID taskId) {
    return delegate.webhookDeliveries(taskId);
  }

  @Override
  public Schedule insertSchedule(Schedule schedule) {
    return delegate.insertSchedule(schedule);
  }

  @Override
  public Optional<Schedule> findSchedule(UUID id) {
    return delegate.findSchedule(id);
  }

  @Override
  public List<Schedule> listSchedules(String organizationId, int offset, int limit) {
    return delegate.listSchedules(organizationId, offset, limit);
  }

  @Override
  public List<Schedule> dueSchedules(Instant now, int limit) {
    return delegate.dueSchedules(now, limit);
  }

  @Override
  public void holdSchedule(UUID id, Instant until) {
    delegate.holdSchedule(id, until);
  }

  @Override
  public boolean advanceSchedule(
      UUID id, Instant expectedNext, Instant next, Instant lastFire, UUID lastTask, Instant at) {
    return delegate.advanceSchedule(id, expectedNext, next, lastFire, lastTask, at);
  }

  @Override
  public Optional<Schedule> setScheduleStatus(
      UUID id, ScheduleStatus status, Instant next, Instant at) {
    return delegate.setScheduleStatus(id, status, next, at);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
