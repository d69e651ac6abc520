package dev.errand.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.EngineTimer;
import dev.errand.RetryPolicy;
import dev.errand.agent.Agent;
import dev.errand.spi.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The frozen settings of one engine, as checked by {@link dev.errand.TaskEngineBuilder}. The
 * executor, timer, mapper and worker id are {@code null} when the engine should make its own.
 */
public record EngineConfig(
    TaskStore store,
    Map<String, Agent> agents,
    int workers,
    Duration leaseDuration,
    Duration heartbeatInterval,
    Duration pollInterval,
    Duration defaultTimeout,
    Duration shutdownGracePeriod,
    int maxInputBytes,
    int maxPendingTasks,
    int maxLeaseLosses,
    WebhookConfig webhooks,
    RetryPolicy retryPolicy,
    Clock clock,
    Executor executor,
    EngineTimer timer,
    ObjectMapper objectMapper,
    String workerId,
    boolean closeStoreOnClose) {}
