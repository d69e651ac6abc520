package dev.errand.agent;

import java.util.Locale;
import java.util.Objects;

/**
 * A named set of instructions an agent loads before it starts a task that points at it.
 *
 * @param id the stable id agents load it by
 * @param name its name, as users refer to it
 * @param instructions what the agent must follow
 */
public record Skill(String id, String name, String instructions) {
  /**
   * @throws IllegalArgumentException if a value is null or blank
   */
  public Skill {
    requireText(id, "id");
    requireText(name, "name");
    requireText(instructions, "instructions");
  }

  /** The name as a slug: lowercase, runs of other characters than letters and digits as '-'. */
  public String slug() {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
  }

  private static void requireText(String value, String field) {
    if (Objects.requireNonNullElse(value, "").isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank, was '" + value + "'");
    }
  }
}
