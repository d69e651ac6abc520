package dev.errand.store.memory;

import dev.errand.spi.TaskStore;
import dev.errand.testkit.TaskEngineSubmitAllScenarioTest;

class InMemoryTaskEngineSubmitAllScenarioTest extends TaskEngineSubmitAllScenarioTest {
  @Override
  protected TaskStore newStore() {
    return new InMemoryTaskStore();
  }
}
