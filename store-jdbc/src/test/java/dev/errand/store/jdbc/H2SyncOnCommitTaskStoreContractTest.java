package dev.errand.store.jdbc;

import dev.errand.spi.TaskStore;
import dev.errand.testkit.TaskStoreContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract holds with every checkpoint and completion forced to disk. */
class H2SyncOnCommitTaskStoreContractTest extends TaskStoreContractTest {
  @TempDir Path dir;

  @Override
  protected TaskStore newStore() {
    return JdbcTaskStore.builder(JdbcTaskStore.h2FileUrl(dir), "sa", "").syncOnCommit(true).build();
  }
}
