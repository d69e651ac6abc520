package dev.errand.store.memory;

import dev.errand.spi.TaskStore;
import dev.errand.testkit.TaskEngineScenarioTest;

class InMemoryTaskEngineScenarioTest extends TaskEngineScenarioTest {
  @Override
  protected TaskStore newStore() {
    return new InMemoryTaskStore();
  }
}
