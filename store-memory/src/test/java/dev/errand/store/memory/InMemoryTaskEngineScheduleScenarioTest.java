package dev.errand.store.memory;

import dev.errand.spi.TaskStore;
import dev.errand.testkit.TaskEngineScheduleScenarioTest;

class InMemoryTaskEngineScheduleScenarioTest extends TaskEngineScheduleScenarioTest {
  @Override
  protected TaskStore newStore() {
    return new InMemoryTaskStore();
  }
}
