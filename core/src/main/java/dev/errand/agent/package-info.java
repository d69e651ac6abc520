/**
 * The Agent SPI: what a task type's code implements ({@link dev.errand.agent.Agent}), what it is
 * given while it runs ({@link dev.errand.agent.AgentContext}, with durable steps that a resumed run
 * does not repeat) and how it ends ({@link dev.errand.agent.AgentResult}, {@link
 * dev.errand.agent.AgentFailure}); and the {@link dev.errand.agent.Skill}s a task may point at.
 */
package dev.errand.agent;
