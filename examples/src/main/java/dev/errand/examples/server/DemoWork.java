package dev.errand.examples.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * What the demo agents share: figures derived from their input (the same input always gives the
 * same result) and a pause per step, so progress can be watched; zero in tests.
 */
final class DemoWork {
  private final Duration stepPause;

  DemoWork(Duration stepPause) {
    this.stepPause = stepPause;
  }

  /** Waits the step pause; an interrupt (a forced cancel) ends the wait and the run. */
  void pause() throws InterruptedException {
    if (!stepPause.isZero()) {
      Thread.sleep(stepPause.toMillis());
    }
  }

  /** A whole number in 0..bound-1 derived from the text. */
  static int number(String text, int bound) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      int v = ((d[0] & 0xff) << 16) | ((d[1] & 0xff) << 8) | (d[2] & 0xff);
      return v % bound;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fraction in 0.50..0.99 derived from the text, to two places. */
  static double fraction(String text) {
    return (50 + number(text, 50)) / 100.0;
  }
}
