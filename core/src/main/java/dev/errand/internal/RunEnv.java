package dev.errand.internal;

import dev.errand.RetryPolicy;
import dev.errand.spi.TaskStore;
import java.time.Clock;
import java.util.function.LongSupplier;

/**
 * What every run of one engine shares.
 *
 * @param store where the run writes
 * @param completions writes the runs' completions to the store, in groups
 * @param clock the engine's clock
 * @param json the engine's payload conversions
 * @param retryPolicy how failed runs are retried
 * @param storeChanged called after each write that recorded an event, to wake event delivery
 * @param ticker the timer's monotonic reading in nanoseconds, by which lease deadlines are judged
 */
record RunEnv(
    TaskStore store,
    CompletionBatcher completions,
    Clock clock,
    Json json,
    RetryPolicy retryPolicy,
    Runnable storeChanged,
    LongSupplier ticker) {}
