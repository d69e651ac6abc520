package dev.errand.store.jdbc;

/** The databases {@link JdbcTaskStore} speaks. */
public enum Dialect {
  /** H2 2.x, embedded or server; JSON kept as text. */
  H2("h2", "VARCHAR", "UUID"),
  /** PostgreSQL 12 or newer; JSON kept as jsonb, claims with FOR UPDATE SKIP LOCKED. */
  POSTGRESQL("postgresql", "varchar", "uuid");

  private final String resourceDir;
  private final String textArrayType;
  private final String uuidArrayType;

  Dialect(String resourceDir, String textArrayType, String uuidArrayType) {
    this.resourceDir = resourceDir;
    this.textArrayType = textArrayType;
    this.uuidArrayType = uuidArrayType;
  }

  /** The dialect of a database product name as JDBC metadata reports it. */
  static Dialect fromProductName(String productName) {
    if (productName.equalsIgnoreCase("H2")) {
      return H2;
    }
    if (productName.equalsIgnoreCase("PostgreSQL")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException(
        "unsupported database '" + productName + "'; Errand supports H2 and PostgreSQL");
  }

  String resourceDir() {
    return resourceDir;
  }

  String textArrayType() {
    return textArrayType;
  }

  String uuidArrayType() {
    return uuidArrayType;
  }

  /** A placeholder for a JSON parameter. */
  String json() {
    return this == POSTGRESQL ? "CAST(? AS JSONB)" : "?";
  }
}
