package dev.errand.store.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server per test JVM, started on first use from the embedded binaries (no
 * install) and stopped when the JVM exits. Each store gets its own table prefix, so tests do not
 * see each other's tasks.
 */
final class TestPostgres {
  private static final AtomicInteger STORES = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestPostgres() {}

  static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::stop));
    }
    return server;
  }

  private static synchronized void stop() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String url() {
    return server().getJdbcUrl("postgres", "postgres");
  }

  /** A prefix no other store in this JVM uses. */
  static String freshPrefix() {
    return "t" + STORES.incrementAndGet() + "_";
  }

  /** A new store on fresh tables of the shared server. */
  static JdbcTaskStore newStore() {
    return JdbcTaskStore.builder(url(), "postgres", "postgres").tablePrefix(freshPrefix()).build();
  }
}
