package dev.errand.benchmarks;

import dev.errand.TaskEngine;
import dev.errand.agent.Agent;
import dev.errand.spi.TaskStore;
import java.time.Duration;

/** The engine every workload uses: 16 workers, as the design's targets assume. */
final class Engines {
  static final String TYPE = "bench";
  static final int WORKERS = 16;

  private Engines() {}

  static TaskEngine engine(TaskStore store, Agent agent) {
    return TaskEngine.builder()
        .store(store)
        .agent(TYPE, agent)
        .workers(WORKERS)
        .shutdownGracePeriod(Duration.ofSeconds(5))
        .build();
  }
}
