package dev.errand.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory holds the signing secrets and the database: the server keeps it and its files
 * to their owner, whatever the umask, and tightens one it finds looser.
 */
class DataDirectoryTest {
  @TempDir Path parent;

  private Path data;

  @BeforeEach
  void posixOnly() {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    data = parent.resolve("data"); // @TempDir itself is made owner-only by JUnit: use a new one
  }

  @Test
  void aNewDataDirectoryAndEveryFileInItAreOwnerOnly() throws Exception {
    try (StartedServer server = StartedServer.start(data)) {
      assertThat(permissions(data)).isEqualTo("rwx------");
      assertThat(regularFiles())
          .contains(data.resolve("server.json"), data.resolve("errand.mv.db"));
      for (Path file : regularFiles()) {
        assertThat(permissions(file)).as(file.toString()).isEqualTo("rw-------");
      }
    }
  }

  @Test
  void aLooseExistingDataDirectoryAndItsFilesAreTightenedAtStart() throws Exception {
    StartedServer.start(data).close();
    Path config = data.resolve("server.json");
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(
        data.resolve("errand.mv.db"), PosixFilePermissions.fromString("rw-rw-r--"));

    try (StartedServer again = StartedServer.start(data)) {
      assertThat(permissions(data)).isEqualTo("rwx------");
      for (Path file : regularFiles()) {
        assertThat(permissions(file)).as(file.toString()).isEqualTo("rw-------");
      }
      assertThat(again.printed())
          .contains("Made " + data + " owner only: the directory (was rwxr-xr-x)")
          .contains("server.json (was rw-r--r--)")
          .contains("errand.mv.db (was rw-rw-r--)");
    }
  }

  private List<Path> regularFiles() throws IOException {
    try (Stream<Path> files = Files.list(data)) {
      return files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList();
    }
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
  }
}
