package dev.errand.store.memory;

import dev.errand.spi.TaskStore;
import dev.errand.testkit.TaskEngineWebhookScenarioTest;

class InMemoryTaskEngineWebhookScenarioTest extends TaskEngineWebhookScenarioTest {
  @Override
  protected TaskStore newStore() {
    return new InMemoryTaskStore();
  }
}
