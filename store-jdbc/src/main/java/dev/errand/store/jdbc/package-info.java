/**
 * {@link dev.errand.store.jdbc.JdbcTaskStore}: tasks kept in a relational database, an embedded H2
 * file database by default and PostgreSQL when several nodes share the work.
 */
package dev.errand.store.jdbc;
