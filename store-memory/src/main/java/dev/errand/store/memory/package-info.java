/**
 * {@link dev.errand.store.memory.InMemoryTaskStore}: tasks kept in the heap of one process, for
 * tests and for single-process use where losing tasks on exit is acceptable.
 */
package dev.errand.store.memory;
