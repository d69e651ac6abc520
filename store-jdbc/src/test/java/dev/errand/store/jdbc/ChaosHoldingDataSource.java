package dev.errand.store.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * The test hook that holds an Errand transaction open: the first progress update that locks a task
 * row returns, and then, still inside the store's transaction, the thread prints {@code holding
 * <task>} and waits for a line on standard input. The test pauses the process (SIGSTOP) right then,
 * so the node stands stopped with a task's row locked, as a node frozen mid-transaction would.
 */
final class ChaosHoldingDataSource {
  private static final BufferedReader STDIN =
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

  private ChaosHoldingDataSource() {}

  static DataSource wrap(DataSource real) {
    AtomicBoolean armed = new AtomicBoolean(true);
    return proxy(
        DataSource.class,
        (p, m, args) -> {
          Object result = invoke(real, m, args);
          return m.getName().equals("getConnection")
              ? connection((Connection) result, armed)
              : result;
        });
  }

  private static Connection connection(Connection real, AtomicBoolean armed) {
    return proxy(
        Connection.class,
        (p, m, args) -> {
          Object result = invoke(real, m, args);
          if (m.getName().equals("prepareStatement") && ((String) args[0]).contains("progress_")) {
            return statement((PreparedStatement) result, armed);
          }
          return result;
        });
  }

  private static PreparedStatement statement(PreparedStatement real, AtomicBoolean armed) {
    UUID[] task = new UUID[1];
    return proxy(
        PreparedStatement.class,
        (p, m, args) -> {
          if (m.getName().equals("setObject") && args[1] instanceof UUID id) {
            task[0] = id;
          }
          Object result = invoke(real, m, args);
          if (m.getName().equals("executeUpdate")
              && Integer.valueOf(1).equals(result)
              && armed.compareAndSet(true, false)) {
            hold(task[0]);
          }
          return result;
        });
  }

  private static void hold(UUID task) {
    System.out.println("holding " + task);
    System.out.flush();
    try {
      STDIN.readLine(); // the test answers once it has resumed the process
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, InvocationHandler handler) {
    return (T)
        Proxy.newProxyInstance(
            ChaosHoldingDataSource.class.getClassLoader(), new Class<?>[] {type}, handler);
  }
}
