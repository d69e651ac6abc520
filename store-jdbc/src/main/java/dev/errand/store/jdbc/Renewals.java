package dev.errand.store.jdbc;

import static dev.errand.store.jdbc.Db.setInstant;

import dev.errand.spi.LeaseRef;
import dev.errand.spi.RenewRequest;
import dev.errand.spi.RenewResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Lease renewals: one batch extending the held leases, and which of those have a cancel asked. */
final class Renewals {
  private final Db db;
  private final Sql sql;

  Renewals(Db db, Sql sql) {
    this.db = db;
    this.sql = sql;
  }

  RenewResult renew(Connection c, RenewRequest request) throws SQLException {
    int[] counts;
    try (PreparedStatement ps = c.prepareStatement(sql.renew)) {
      for (LeaseRef lease : request.leases()) {
        setInstant(ps, 1, request.leaseExpiresAt());
        ps.setObject(2, lease.taskId());
        ps.setLong(3, lease.fence());
        ps.addBatch();
      }
      counts = ps.executeBatch();
    }
    Set<UUID> lost = new HashSet<>();
    List<UUID> held = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      UUID id = request.leases().get(i).taskId();
      if (counts[i] == 0) {
        lost.add(id);
      } else {
        held.add(id);
      }
    }
    return new RenewResult(lost, cancelRequested(c, held));
  }

  private Set<UUID> cancelRequested(Connection c, List<UUID> held) throws SQLException {
    Set<UUID> out = new HashSet<>();
    if (held.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps = c.prepareStatement(sql.cancelRequestedAmong)) {
      ps.setArray(1, db.uuidArray(c, held));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(Db.uuid(rs, "id"));
        }
      }
    }
    return out;
  }
}
