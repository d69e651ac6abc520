package dev.errand.store.jdbc;

import dev.errand.spi.TaskStore;
import dev.errand.testkit.TaskEngineWebhookScenarioTest;

class PostgresTaskEngineWebhookScenarioTest extends TaskEngineWebhookScenarioTest {
  @Override
  protected TaskStore newStore() {
    return TestPostgres.newStore();
  }
}
