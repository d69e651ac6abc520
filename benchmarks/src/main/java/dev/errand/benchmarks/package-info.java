/**
 * The benchmark workloads of the design (W1 throughput, W2 latency, W3 scale, W4 durable steps) on
 * the in-memory store, embedded H2 and PostgreSQL, run by {@link dev.errand.benchmarks.Benchmarks}.
 */
package dev.errand.benchmarks;
