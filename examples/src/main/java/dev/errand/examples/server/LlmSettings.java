package dev.errand.examples.server;

import dev.errand.llm.ChatClient;
import dev.errand.llm.LlmAgent;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The language model behind the agent task type, from the environment: {@code ERRAND_LLM_BASE_URL}
 * (an OpenAI-compatible API, such as https://openrouter.ai/api/v1), {@code ERRAND_LLM_API_KEY},
 * {@code ERRAND_LLM_MODEL} (the default model) and optionally {@code ERRAND_LLM_MODELS} (other
 * models tasks may name, comma-separated). Without a base URL and key the demo agent stands in.
 *
 * @param baseUrl the API's base URL
 * @param apiKey the provider's key
 * @param defaultModel the model of tasks that name none, or one not allowed
 * @param models the other models tasks may name
 */
record LlmSettings(URI baseUrl, String apiKey, String defaultModel, Set<String> models) {
  static final String BASE_URL = "ERRAND_LLM_BASE_URL";
  static final String API_KEY = "ERRAND_LLM_API_KEY";
  static final String MODEL = "ERRAND_LLM_MODEL";
  static final String MODELS = "ERRAND_LLM_MODELS";

  /**
   * The settings, or empty when no base URL and key are set.
   *
   * @throws IllegalArgumentException if only some are set, or the URL is not one
   */
  static Optional<LlmSettings> from(Map<String, String> env) {
    String base = blankToNull(env.get(BASE_URL));
    String key = blankToNull(env.get(API_KEY));
    if (base == null && key == null) {
      return Optional.empty();
    }
    String model = blankToNull(env.get(MODEL));
    if (base == null || key == null || model == null) {
      throw new IllegalArgumentException(
          BASE_URL + ", " + API_KEY + " and " + MODEL + " are set together or not at all");
    }
    Set<String> models = new LinkedHashSet<>();
    if (env.get(MODELS) != null) {
      Arrays.stream(env.get(MODELS).split(","))
          .map(String::strip)
          .filter(m -> !m.isEmpty())
          .forEach(models::add);
    }
    URI url;
    try {
      url = URI.create(base);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(BASE_URL + " is not a URL: " + base, e);
    }
    return Optional.of(new LlmSettings(url, key, model, Set.copyOf(models)));
  }

  /** The agent: the model with no tools, on this provider. */
  LlmAgent agent() {
    return LlmAgent.builder(ChatClient.builder(baseUrl, apiKey).build(), defaultModel).build();
  }

  /** Without the key. */
  @Override
  public String toString() {
    return "LlmSettings[" + baseUrl + ", model " + defaultModel + ", also " + models + "]";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
