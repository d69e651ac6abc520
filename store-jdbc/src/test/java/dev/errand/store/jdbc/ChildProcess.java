package dev.errand.store.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A JVM started from this test's class path, read line by line and killed with SIGKILL. */
final class ChildProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final BufferedReader out;

  private ChildProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  static ChildProcess start(Class<?> main, Path log, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command =
        new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
    command.add(main.getName());
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
    return new ChildProcess(p, log);
  }

  /** The next line the child printed, or null once its output has ended. */
  String readLine() throws IOException {
    return out.readLine();
  }

  /** Reads lines until one equals {@code expected}; fails if the output ends first. */
  void awaitLine(String expected) throws IOException {
    String line;
    while ((line = out.readLine()) != null) {
      if (line.equals(expected)) {
        return;
      }
    }
    throw new AssertionError(
        "child ended without printing '" + expected + "'; its stderr:\n" + Files.readString(log));
  }

  /**
   * Sends the child SIGKILL and waits for it to be gone. Unlike {@link Process#destroyForcibly()},
   * this leaves its output open, so what it printed before it died can still be read.
   */
  void kill() throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new AssertionError("kill -KILL " + process.pid() + " failed");
    }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("child did not die within 30 s of SIGKILL");
    }
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      kill();
    }
    out.close();
  }
}
