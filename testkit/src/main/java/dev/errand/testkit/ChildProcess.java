package dev.errand.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JVM started from this test's class path, read line by line, written to on its standard input,
 * paused with SIGSTOP and resumed with SIGCONT, and killed with SIGKILL.
 */
public final class ChildProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final BufferedReader out;

  private ChildProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * Starts {@code main} in a new JVM with this JVM's class path; its standard error goes to {@code
   * log}.
   */
  public static ChildProcess start(Class<?> main, Path log, String... args) throws IOException {
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
  public String readLine() throws IOException {
    return out.readLine();
  }

  /** Reads lines until one equals {@code expected}; fails if the output ends first. */
  public void awaitLine(String expected) throws IOException {
    awaitLine(expected::equals, "'" + expected + "'");
  }

  /** Reads lines until one contains {@code text} and returns it; fails if the output ends first. */
  public String awaitLineContaining(String text) throws IOException {
    return awaitLine(line -> line.contains(text), "a line containing '" + text + "'");
  }

  private String awaitLine(Predicate<String> wanted, String what) throws IOException {
    String line;
    while ((line = out.readLine()) != null) {
      if (wanted.test(line)) {
        return line;
      }
    }
    throw new AssertionError(
        "child ended without printing " + what + "; its stderr:\n" + Files.readString(log));
  }

  /** Writes a line to the child's standard input. */
  public void writeLine(String line) throws IOException {
    var in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** Pauses every thread of the child (SIGSTOP), as a stalled machine or a long GC pause would. */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** Lets a paused child go on (SIGCONT). */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** Whether the child is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Sends the child SIGKILL and waits for it to be gone. Unlike {@link Process#destroyForcibly()},
   * this leaves its output open, so what it printed before it died can still be read.
   */
  public void kill() throws IOException, InterruptedException {
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
