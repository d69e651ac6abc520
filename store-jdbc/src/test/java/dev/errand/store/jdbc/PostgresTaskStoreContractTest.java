package dev.errand.store.jdbc;

import dev.errand.spi.TaskStore;
import dev.errand.testkit.TaskStoreContractTest;

class PostgresTaskStoreContractTest extends TaskStoreContractTest {
  @Override
  protected TaskStore newStore() {
    return TestPostgres.newStore();
  }
}
