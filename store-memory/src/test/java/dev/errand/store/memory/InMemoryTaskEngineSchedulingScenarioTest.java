package dev.errand.store.memory;

import dev.errand.spi.TaskStore;
import dev.errand.testkit.TaskEngineSchedulingScenarioTest;

class InMemoryTaskEngineSchedulingScenarioTest extends TaskEngineSchedulingScenarioTest {
  @Override
  protected TaskStore newStore() {
    return new InMemoryTaskStore();
  }
}
