package dev.errand.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.errand.StoreException;
import dev.errand.TaskStatus;
import dev.errand.spi.Completion;
import dev.errand.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CompletionBatcherTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  private final TaskStore store = mock(TaskStore.class);
  private final CompletionBatcher batcher = new CompletionBatcher(store);
  private final CountDownLatch firstWriteMayReturn = new CountDownLatch(1);
  private final CountDownLatch firstWriteStarted = new CountDownLatch(1);
  private final ExecutorService runs = Executors.newCachedThreadPool();
  private final List<Thread> waiting = new ArrayList<>();

  @AfterEach
  void stop() {
    firstWriteMayReturn.countDown();
    runs.shutdownNow();
  }

  @Test
  void aLoneCompletionIsWrittenAtOnceOnItsOwn() {
    Completion done = completion();
    when(store.complete(done)).thenReturn(true);
    assertThat(batcher.write(done)).isTrue();
    verify(store, never()).completeAll(anyList());
  }

  @Test
  void completionsThatEndDuringAWriteAreWrittenTogetherNextEachWithItsOwnAnswer() throws Exception {
    Completion first = completion();
    List<Completion> later = List.of(completion(), completion(), completion(), completion());
    blockFirstWrite(first);
    when(store.completeAll(anyList()))
        .thenAnswer(call -> List.of(true, false, true, false)); // in the order given

    Future<Boolean> firstRun = runs.submit(() -> batcher.write(first));
    assertThat(firstWriteStarted.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    List<Future<Boolean>> laterRuns = new ArrayList<>();
    for (Completion c : later) {
      laterRuns.add(runs.submit(() -> waitingWrite(c)));
      awaitWaiting(laterRuns.size()); // so they queue in this order
    }
    firstWriteMayReturn.countDown();

    assertThat(firstRun.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    List<Boolean> answers = new ArrayList<>();
    for (Future<Boolean> f : laterRuns) {
      answers.add(f.get(BOUND.toSeconds(), TimeUnit.SECONDS));
    }
    assertThat(answers).containsExactly(true, false, true, false);
    verify(store, times(1)).completeAll(later);
  }

  @Test
  void aGroupThatFailsIsWrittenOneByOneSoOnlyTheBadCompletionFails() throws Exception {
    Completion first = completion();
    Completion good = completion();
    Completion bad = completion();
    blockFirstWrite(first);
    when(store.completeAll(anyList()))
        .thenThrow(new StoreException("value too long", "22001", null));
    doReturn(true).when(store).complete(good);
    doThrow(new StoreException("value too long", "22001", null)).when(store).complete(bad);

    Future<Boolean> firstRun = runs.submit(() -> batcher.write(first));
    assertThat(firstWriteStarted.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    Future<Boolean> goodRun = runs.submit(() -> waitingWrite(good));
    awaitWaiting(1);
    Future<Boolean> badRun = runs.submit(() -> waitingWrite(bad));
    awaitWaiting(2);
    firstWriteMayReturn.countDown();

    assertThat(firstRun.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(goodRun.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(badRun)
        .failsWithin(BOUND)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(StoreException.class)
        .withMessageStartingWith("value too long");
    verify(store).completeAll(List.of(good, bad));
  }

  /** The first completion's write waits until the test lets it return. */
  private void blockFirstWrite(Completion first) {
    doAnswer(
            call -> {
              firstWriteStarted.countDown();
              return firstWriteMayReturn.await(BOUND.toSeconds(), TimeUnit.SECONDS);
            })
        .when(store)
        .complete(first);
  }

  private boolean waitingWrite(Completion c) {
    synchronized (waiting) {
      waiting.add(Thread.currentThread());
    }
    return batcher.write(c);
  }

  /** {@code count} runs have called write, and each waits for the write lock. */
  private void awaitWaiting(int count) {
    await()
        .atMost(BOUND)
        .until(
            () -> {
              synchronized (waiting) {
                return waiting.size() == count
                    && waiting.stream().allMatch(t -> t.getState() == Thread.State.WAITING);
              }
            });
  }

  private static Completion completion() {
    return new Completion(
        UUID.randomUUID(), 1, TaskStatus.COMPLETED, "{}", null, null, null, Instant.EPOCH);
  }
}
