package dev.errand.benchmarks;

import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** An engine the compare command measures, on a {@link CompareDatabase}. */
interface Contestant extends AutoCloseable {
  /** How often a drain looks whether every task has ended. */
  long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /**
   * One round on fresh tables: {@code tasks} no-op tasks enqueued one by one with nothing running
   * (timed), then the engine started and timed until every task's end is committed.
   *
   * @param round the round's number, naming its tables or task instances
   */
  Round round(int round, int tasks) throws Exception;

  /**
   * Nanoseconds to enqueue {@code tasks} no-op tasks in one call of the engine's batch API, on
   * fresh tables with nothing running.
   */
  long batchEnqueue(int round, int tasks) throws Exception;

  /** Submit-to-start latencies in nanoseconds, one task at a time, after a warm-up, as W2. */
  long[] latencies(int samples) throws Exception;

  String name();

  /**
   * A round's figures, in ns: enqueue time, drain time, and the CPU time of this JVM and of the
   * database's processes (PostgreSQL only) over both.
   */
  record Round(long enqueueNanos, long drainNanos, long cpuNanos, long dbCpuNanos) {}

  /** CPU readings taken as a round starts, to end it with. */
  record CpuStart(CompareDatabase db, long jvm, long database) {
    static CpuStart now(CompareDatabase db) {
      return new CpuStart(db, cpuNanos(), db.serverCpuNanos());
    }

    Round end(long enqueueNanos, long drainNanos) {
      return new Round(enqueueNanos, drainNanos, cpuNanos() - jvm, db.serverCpuNanos() - database);
    }
  }

  /** The CPU time this JVM has used, in ns. */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Waits until the query counts no task left, looking every few milliseconds. */
  static void awaitNone(CompareDatabase db, String countSql) throws SQLException {
    long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (db.count(countSql) > 0) {
      if (System.nanoTime() > giveUp) {
        throw new IllegalStateException("tasks left after 10 minutes: " + countSql);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}
