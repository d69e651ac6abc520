package dev.errand.store.jdbc;

import dev.errand.spi.TaskStore;
import dev.errand.testkit.TaskEngineSubmitAllScenarioTest;

class PostgresTaskEngineSubmitAllScenarioTest extends TaskEngineSubmitAllScenarioTest {
  @Override
  protected TaskStore newStore() {
    return TestPostgres.newStore();
  }
}
