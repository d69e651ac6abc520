/**
 * Test support for Errand users and store authors: {@link dev.errand.testkit.TaskStoreContractTest}
 * that every store must pass, engine scenarios, a {@link dev.errand.testkit.MutableClock}, a {@link
 * dev.errand.testkit.ManualTimer} that runs timed work when a test moves time, and task builders.
 */
package dev.errand.testkit;
