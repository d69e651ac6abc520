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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

  /** Renews in task id order, the order in which batched completions lock their rows. */
  RenewResult renew(Connection c, RenewRequest request) throws SQLException {
    List<LeaseRef> leases =
        request.leases().stream().sorted(Comparator.comparing(LeaseRef::taskId)).toList();
    int[] counts;
    try (PreparedStatement ps = c.prepareStatement(sql.renew)) {
      for (LeaseRef lease : leases) {
        setInstant(ps, 1, request.leaseExpiresAt());
        ps.setObject(2, lease.taskId());
        ps.setLong(3, lease.fence());
        ps.addBatch();
      }
      counts = ps.executeBatch();
    }
    Set<LeaseRef> lost = new HashSet<>();
    List<LeaseRef> held = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      LeaseRef lease = leases.get(i);
      if (counts[i] == 0) {
        lost.add(lease);
      } else {
        held.add(lease);
      }
    }
    return new RenewResult(lost, cancelRequested(c, held));
  }

  /** The held leases whose task has a cancel requested (a held lease is its task's only one). */
  private Set<LeaseRef> cancelRequested(Connection c, List<LeaseRef> held) throws SQLException {
    Set<LeaseRef> out = new HashSet<>();
    if (held.isEmpty()) {
      return out;
    }
    Map<UUID, LeaseRef> byTask = new HashMap<>();
    held.forEach(lease -> byTask.put(lease.taskId(), lease));
    try (PreparedStatement ps = c.prepareStatement(sql.cancelRequestedAmong)) {
      ps.setArray(1, db.uuidArray(c, byTask.keySet()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(byTask.get(Db.uuid(rs, "id")));
        }
      }
    }
    return out;
  }
}
