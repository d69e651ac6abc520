/**
 * An autonomous tool-calling agent over any OpenAI-compatible chat completions API (OpenRouter,
 * OpenAI, a local server): {@link dev.errand.llm.LlmAgent}, its {@link dev.errand.llm.Tool} SPI,
 * {@link dev.errand.llm.ToolCredentials} and {@link dev.errand.llm.Budgets}. Every model call and
 * every tool call is a durable step, so a run resumed after a crash repeats none that completed.
 */
package dev.errand.llm;
