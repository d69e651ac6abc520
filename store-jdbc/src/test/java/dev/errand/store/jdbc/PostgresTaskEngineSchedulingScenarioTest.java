package dev.errand.store.jdbc;

import dev.errand.spi.TaskStore;
import dev.errand.testkit.TaskEngineSchedulingScenarioTest;

class PostgresTaskEngineSchedulingScenarioTest extends TaskEngineSchedulingScenarioTest {
  @Override
  protected TaskStore newStore() {
    return TestPostgres.newStore();
  }
}
