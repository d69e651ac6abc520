/**
 * The engine's implementation: worker loop, runs, agent context, event delivery. No compatibility
 * promise: anything here may change in any release; depend only on the public packages.
 */
package dev.errand.internal;
