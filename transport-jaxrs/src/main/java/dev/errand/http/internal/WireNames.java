package dev.errand.http.internal;

/** The engine's field names (camelCase paths) as the wire spells them (snake_case). */
final class WireNames {
  private WireNames() {}

  /** {@code webhookUrl} becomes {@code webhook_url}; {@code input.sources} stays. */
  static String of(String field) {
    StringBuilder out = new StringBuilder(field.length() + 4);
    for (char c : field.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
