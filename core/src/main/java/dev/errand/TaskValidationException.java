package dev.errand;

import java.util.List;
import java.util.stream.Collectors;

/** A request was refused because one or more of its fields broke a rule; nothing was stored. */
public class TaskValidationException extends ErrandException {
  private static final long serialVersionUID = 1L;

  private final transient List<InvalidField> invalidFields;

  /**
   * A refusal naming every bad field.
   *
   * @throws IllegalArgumentException if the list is empty
   */
  public TaskValidationException(List<InvalidField> invalidFields) {
    super(message(invalidFields));
    this.invalidFields = List.copyOf(invalidFields);
  }

  private static String message(List<InvalidField> fields) {
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("a validation failure needs at least one field");
    }
    return "invalid task request: "
        + fields.stream().map(InvalidField::toString).collect(Collectors.joining("; "));
  }

  /** Every bad field, in the order checked. */
  public List<InvalidField> invalidFields() {
    return invalidFields;
  }
}
