package dev.errand.internal;

/**
 * Thrown into an agent at its next step when the engine is shutting down, so the run stops at a
 * step boundary and its task goes back to the store for another worker.
 */
final class GiveBackSignal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  GiveBackSignal() {
    super("the engine is shutting down; the task is given back", null, false, false);
  }
}
