package dev.errand.store.jdbc;

import dev.errand.spi.TaskStore;
import dev.errand.testkit.TaskEngineSubmitAllScenarioTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2TaskEngineSubmitAllScenarioTest extends TaskEngineSubmitAllScenarioTest {
  @TempDir Path dir;

  @Override
  protected TaskStore newStore() {
    return JdbcTaskStore.h2File(dir);
  }
}
