package dev.errand.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The API keys of the agent-task endpoint ({@code caylex_api_key}), each belonging to one
 * organization. Implementations are thread-safe.
 */
@FunctionalInterface
public interface ApiKeys {
  /**
   * @return the organization the key belongs to, or empty for an unknown key
   */
  Optional<String> organizationOf(String key);

  /**
   * Keys given as key to organization. Only SHA-256 digests of the keys are kept, and lookups
   * compare digests, so the keys themselves are not held in memory.
   */
  static ApiKeys of(Map<String, String> keyToOrganization) {
    Map<String, String> byDigest = new HashMap<>();
    keyToOrganization.forEach(
        (key, org) -> byDigest.put(digest(Objects.requireNonNull(key, "key")), org));
    return key -> key == null ? Optional.empty() : Optional.ofNullable(byDigest.get(digest(key)));
  }

  private static String digest(String key) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
