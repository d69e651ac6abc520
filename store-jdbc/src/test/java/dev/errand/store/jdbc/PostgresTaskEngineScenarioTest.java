package dev.errand.store.jdbc;

import dev.errand.spi.TaskStore;
import dev.errand.testkit.TaskEngineScenarioTest;

class PostgresTaskEngineScenarioTest extends TaskEngineScenarioTest {
  @Override
  protected TaskStore newStore() {
    return TestPostgres.newStore();
  }
}
