package dev.errand.examples.server;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Keeps the data directory, which holds the signing secrets and the H2 database, to its owner.
 *
 * <p>Java cannot set the umask, and H2 creates its files (the database, and its trace and temporary
 * files whenever it needs them) with it, typically {@code rw-r--r--}. So the directory is made
 * {@code rwx------} before anything is written in it: no other user can then open any file in it,
 * whatever that file's mode. The files are also tightened to their owner, at start and once the
 * database is open, so that a copy or an archive that keeps modes does not expose them. Only group
 * and other permissions are ever removed; on a file system without POSIX permissions nothing is
 * done.
 */
final class DataDirectory {
  private static final Set<PosixFilePermission> GROUP_AND_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private DataDirectory() {}

  /**
   * Creates {@code dir} owner-only, or tightens an existing one and the files in it, and says on
   * {@code out} which it tightened.
   */
  static void prepare(Path dir, PrintStream out) {
    if (!posix(dir)) {
      return; // ServerConfig creates the directory with the file system's defaults
    }
    try {
      if (Files.notExists(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return;
      }
      List<String> tightened = tighten(dir);
      if (!tightened.isEmpty()) {
        out.println("Made " + dir + " owner only: " + String.join(", ", tightened) + ".");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make " + dir + " owner-only", e);
    }
  }

  /** Tightens, quietly, the files created in {@code dir} since it was prepared (H2's). */
  static void tightenNewFiles(Path dir) {
    if (posix(dir)) {
      try {
        tighten(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make the files in " + dir + " owner-only", e);
      }
    }
  }

  /** Removes group and other permissions from the directory and its regular files. */
  private static List<String> tighten(Path dir) throws IOException {
    List<String> tightened = new ArrayList<>();
    tightenOne(dir, "the directory", tightened);
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path file : entries.toList()) {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) { // never a link's target
          tightenOne(file, file.getFileName().toString(), tightened);
        }
      }
    }
    return tightened;
  }

  private static void tightenOne(Path path, String name, List<String> tightened)
      throws IOException {
    Set<PosixFilePermission> was = Files.getPosixFilePermissions(path); // a --data link: its target
    Set<PosixFilePermission> now = EnumSet.noneOf(PosixFilePermission.class);
    now.addAll(was);
    if (now.removeAll(GROUP_AND_OTHERS)) {
      Files.setPosixFilePermissions(path, now);
      tightened.add(name + " (was " + PosixFilePermissions.toString(was) + ")");
    }
  }

  private static boolean posix(Path dir) {
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
