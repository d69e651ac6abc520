package dev.errand.store.jdbc;

import dev.errand.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned schema scripts ({@code db/<dialect>/V<n>__<name>.sql}, Flyway naming) that
 * a database has not had yet, recording each in {@code <prefix>schema_version}; or, in validate
 * mode, only checks that the database is at the latest version or a newer one.
 *
 * <p>Versions are additive: a later version only adds tables, columns with defaults and indexes, so
 * this code runs on a database a newer Errand has migrated (a rolling upgrade migrates with its
 * first new node while old nodes still run). Only an older database is refused or migrated.
 */
final class SchemaMigrator {
  private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);

  /**
   * The scripts, in order; a new version is appended here and added under each dialect. It must be
   * additive (see the class comment): nodes of the previous release keep running on it.
   */
  static final List<String> MIGRATIONS =
      List.of(
          "V1__create_tasks",
          "V2__webhook_deliveries",
          "V3__schedules",
          "V4__lease_losses",
          "V5__schedule_keys");

  private static final Object H2_MIGRATIONS = new Object();

  private final Db db;
  private final String prefix;
  private final String versionTable;

  SchemaMigrator(Db db, String prefix) {
    this.db = db;
    this.prefix = prefix;
    this.versionTable = prefix + "schema_version";
  }

  static int latestVersion() {
    return MIGRATIONS.size();
  }

  void migrate() {
    if (db.dialect() == Dialect.H2) {
      // H2's DDL commits at once and its IF NOT EXISTS is not safe against a concurrent CREATE;
      // an H2 file is opened by one process, so serialising its migrations in this JVM suffices
      synchronized (H2_MIGRATIONS) {
        migrateInTransaction();
      }
    } else {
      migrateInTransaction(); // PostgreSQL: an advisory lock inside the transaction
    }
  }

  private void migrateInTransaction() {
    db.inTransaction(
        "schema migration",
        c -> {
          lock(c);
          createVersionTable(c);
          int current = currentVersion(c);
          noteIfNewer(current);
          for (int v = current + 1; v <= latestVersion(); v++) {
            apply(c, v, MIGRATIONS.get(v - 1));
          }
          return null;
        });
  }

  void validate() {
    int current =
        db.inTransaction("schema validation", c -> versionTableExists(c) ? currentVersion(c) : 0);
    if (current < latestVersion()) {
      throw new StoreException(
          "database schema with prefix '"
              + prefix
              + "' is at version "
              + current
              + ", this Errand needs version "
              + latestVersion()
              + "; apply the scripts under db/"
              + db.dialect().resourceDir()
              + " or start the store in migrate mode",
          null);
    }
    noteIfNewer(current);
  }

  private void noteIfNewer(int current) {
    if (current > latestVersion()) {
      log.info(
          "database schema with prefix '{}' is at version {}, newer than this Errand's {}; using it"
              + " as it is (versions are additive)",
          prefix,
          current,
          latestVersion());
    }
  }

  /** Serialises migrations of several nodes starting at once (PostgreSQL DDL is transactional). */
  private void lock(Connection c) throws SQLException {
    if (db.dialect() == Dialect.POSTGRESQL) {
      try (Statement s = c.createStatement()) { // a migration may wait and run as long as it needs
        s.execute("SET LOCAL lock_timeout = 0; SET LOCAL statement_timeout = 0");
      }
      try (var ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
        ps.setString(1, versionTable);
        ps.execute();
      }
    }
  }

  private void createVersionTable(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + versionTable
              + " (version INT PRIMARY KEY,"
              + " description VARCHAR(200) NOT NULL, installed_at TIMESTAMP WITH TIME ZONE"
              + " DEFAULT CURRENT_TIMESTAMP NOT NULL)");
    }
  }

  private boolean versionTableExists(Connection c) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    String escape = meta.getSearchStringEscape();
    for (String name : List.of(versionTable, versionTable.toUpperCase(Locale.ROOT))) {
      String pattern = name.replace("_", escape + "_").replace("%", escape + "%");
      try (ResultSet rs = meta.getTables(null, null, pattern, null)) {
        if (rs.next()) {
          return true;
        }
      }
    }
    return false;
  }

  private int currentVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM " + versionTable)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private void apply(Connection c, int version, String name) throws SQLException {
    String script = load("db/" + db.dialect().resourceDir() + "/" + name + ".sql");
    try (Statement s = c.createStatement()) {
      for (String statement : statements(script.replace("${prefix}", prefix))) {
        s.execute(statement);
      }
    }
    String record =
        db.dialect() == Dialect.H2 // several H2 starts may apply the same idempotent script
            ? "MERGE INTO " + versionTable + " (version, description) KEY (version) VALUES (?, ?)"
            : "INSERT INTO " + versionTable + " (version, description) VALUES (?, ?)";
    try (var ps = c.prepareStatement(record)) {
      ps.setInt(1, version);
      ps.setString(2, name);
      ps.executeUpdate();
    }
    log.info("applied schema {} to tables with prefix '{}'", name, prefix);
  }

  /** Splits a script at semicolons ending a line, dropping comment lines. */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        out.add(current.substring(0, current.lastIndexOf(";")).strip());
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }

  private static String load(String resource) {
    try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema script " + resource + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read schema script " + resource, e);
    }
  }
}
