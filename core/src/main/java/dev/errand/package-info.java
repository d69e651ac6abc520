/**
 * Errand's public API: the {@link dev.errand.TaskEngine} that accepts, runs and reports durable
 * background tasks, the {@link dev.errand.Task} model, requests, queries, events and exceptions.
 * Agents are written against {@link dev.errand.agent}; stores implement {@link dev.errand.spi}.
 */
package dev.errand;
