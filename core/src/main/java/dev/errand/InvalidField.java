package dev.errand;

import java.util.Objects;

/**
 * One field of a request that broke a rule.
 *
 * @param field the field's name as in the Java API, for example {@code priority}
 * @param rule what the value must be, with the value given, for example "must be between 1 and 10,
 *     was 11"
 */
public record InvalidField(String field, String rule) {
  /** Checks both values are present. */
  public InvalidField {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(rule, "rule");
  }

  @Override
  public String toString() {
    return field + " " + rule;
  }
}
