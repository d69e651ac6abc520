package dev.errand;

/**
 * Receives task events. Events are delivered on one engine thread, in store order, so the events of
 * one task arrive in the order they happened. A listener should return quickly; an exception it
 * throws is logged and does not stop delivery.
 */
@FunctionalInterface
public interface TaskListener {
  /** Called once per event. */
  void onEvent(TaskEvent event);
}
