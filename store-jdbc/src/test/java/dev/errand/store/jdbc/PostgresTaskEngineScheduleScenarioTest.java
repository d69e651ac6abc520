package dev.errand.store.jdbc;

import dev.errand.spi.TaskStore;
import dev.errand.testkit.TaskEngineScheduleScenarioTest;

class PostgresTaskEngineScheduleScenarioTest extends TaskEngineScheduleScenarioTest {
  @Override
  protected TaskStore newStore() {
    return TestPostgres.newStore();
  }
}
