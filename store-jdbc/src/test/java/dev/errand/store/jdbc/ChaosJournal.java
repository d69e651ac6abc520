package dev.errand.store.jdbc;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What one chaos node did, one line per fact, appended as it happens (a SIGKILL loses nothing the
 * kernel was handed). Times are {@link System#nanoTime()}, which every process of one machine reads
 * from the same monotonic clock, so lines of different nodes and of the test compare.
 */
final class ChaosJournal {
  /** One line: a claim, a fenced write and whether it was accepted, or a step body starting. */
  record Entry(
      String kind, String node, UUID task, long fence, String what, boolean ok, long t0, long t1) {
    static Entry parse(String line) {
      String[] f = line.split(" ");
      return new Entry(
          f[0],
          f[1],
          UUID.fromString(f[2]),
          Long.parseLong(f[3]),
          f[4],
          Boolean.parseBoolean(f[5]),
          Long.parseLong(f[6]),
          Long.parseLong(f[7]));
    }
  }

  private final String node;
  private final FileOutputStream out;

  ChaosJournal(Path file, String node) throws IOException {
    this.node = node;
    this.out = new FileOutputStream(file.toFile(), true);
  }

  synchronized void add(String kind, UUID task, long fence, String what, boolean ok, long t0) {
    String line =
        String.join(
                " ",
                kind,
                node,
                task.toString(),
                Long.toString(fence),
                what,
                Boolean.toString(ok),
                Long.toString(t0),
                Long.toString(System.nanoTime()))
            + "\n";
    try {
      out.write(line.getBytes(StandardCharsets.UTF_8)); // one write call: a kill leaves whole lines
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every whole line of every journal in the directory. A line still being written (a node that is
   * alive may be writing while the test reads) has no newline yet, and is left for a later read.
   */
  static List<Entry> readAll(Path dir) throws IOException {
    List<Entry> all = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".journal")).toList()) {
        String text = Files.readString(f);
        String whole = text.substring(0, text.lastIndexOf('\n') + 1);
        whole.lines().forEach(line -> all.add(Entry.parse(line)));
      }
    }
    return all;
  }
}
