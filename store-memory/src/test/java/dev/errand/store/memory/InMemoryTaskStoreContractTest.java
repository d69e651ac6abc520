package dev.errand.store.memory;

import dev.errand.spi.TaskStore;
import dev.errand.testkit.TaskStoreContractTest;

class InMemoryTaskStoreContractTest extends TaskStoreContractTest {
  @Override
  protected TaskStore newStore() {
    return new InMemoryTaskStore();
  }
}
