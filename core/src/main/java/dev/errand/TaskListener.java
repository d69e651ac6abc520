package dev.errand;

/**
 * Receives task events. Events are delivered on the engine's event thread, one at a time, in the
 * store's order, so the events of one task arrive in the order they happened. A slow listener
 * delays only later events, never the workers; an exception it throws is logged and does not stop
 * delivery.
 */
@FunctionalInterface
public interface TaskListener {
  /** Called once per event. */
  void onEvent(TaskEvent event);
}
