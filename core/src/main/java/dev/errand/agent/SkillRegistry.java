package dev.errand.agent;

import java.util.List;
import java.util.Optional;

/** The skills tasks may point at, found by id, name or slug. Implementations are thread-safe. */
@FunctionalInterface
public interface SkillRegistry {
  /**
   * @param ref a skill's id, name or slug, as a user gave it
   * @return the skill, or empty when there is none by that reference
   */
  Optional<Skill> find(String ref);

  /** A registry of these skills, matching a reference to an id, a name or a slug, in that order. */
  static SkillRegistry of(List<Skill> skills) {
    List<Skill> copy = List.copyOf(skills);
    return ref -> {
      if (ref == null) {
        return Optional.empty();
      }
      return copy.stream()
          .filter(s -> s.id().equals(ref))
          .findFirst()
          .or(() -> copy.stream().filter(s -> s.name().equals(ref)).findFirst())
          .or(() -> copy.stream().filter(s -> s.slug().equals(ref)).findFirst());
    };
  }
}
