package dev.errand.examples.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.errand.webhook.WebhookSecret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The server's secrets and users, kept in a JSON file readable only by its owner. On first start
 * the file is created with a random token signing secret, a webhook signing secret, one development
 * user with a random password and one API key, which are printed once; only the password's PBKDF2
 * hash is stored. A file from before webhooks gets a webhook secret on its next start.
 *
 * @param jwtSecret Base64 of the token signing secret (32 random bytes)
 * @param webhookSecret the secret signing webhooks, {@code whsec_...}
 * @param users who may sign in
 * @param apiKeys agent-task API key to organization
 */
record ServerConfig(
    String jwtSecret, String webhookSecret, List<User> users, Map<String, String> apiKeys) {
  /**
   * A user: sign-in name, organization, password hash, whether they are disabled (no sign-in, and
   * their tokens refused), and their token version (raising it refuses every token issued before).
   * A user removed from the file, or disabled, loses their tokens at the next start.
   */
  record User(
      String username,
      String organization,
      String passwordHash,
      boolean disabled,
      long tokenVersion) {}

  static final String DEV_USER = "dev@errand.local";
  static final String DEV_ORGANIZATION = "dev";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT);
  private static final SecureRandom RANDOM = new SecureRandom();

  byte[] secretBytes() {
    return Base64.getDecoder().decode(jwtSecret);
  }

  /** Reads the file, or creates it and prints the first-start credentials to {@code out}. */
  static ServerConfig loadOrCreate(Path file, java.io.PrintStream out) {
    try {
      if (Files.exists(file)) {
        ServerConfig config = JSON.readValue(file.toFile(), ServerConfig.class);
        return config.webhookSecret() != null ? config : withWebhookSecret(file, config, out);
      }
      String password = token(12);
      String apiKey = "ck_" + token(16);
      String webhookSecret = WebhookSecret.generate().text();
      ServerConfig config =
          new ServerConfig(
              Base64.getEncoder().encodeToString(bytes(32)),
              webhookSecret,
              List.of(
                  new User(
                      DEV_USER,
                      DEV_ORGANIZATION,
                      PasswordHashes.hash(password.toCharArray()),
                      false,
                      0)),
              Map.of(apiKey, DEV_ORGANIZATION));
      write(file, JSON.writeValueAsBytes(config));
      out.println("Created " + file + " with a new signing secret and a development user.");
      out.println("  username: " + DEV_USER);
      out.println("  password: " + password);
      out.println("  API key for /api/v1/agent-task: " + apiKey);
      out.println("  webhook signing secret: " + webhookSecret);
      out.println("This is shown once; only the password's hash is stored.");
      return config;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  /** Says what the file holds, without its secrets. */
  @Override
  public String toString() {
    return "ServerConfig[users="
        + users.size()
        + ", apiKeys="
        + apiKeys.size()
        + ", secrets hidden]";
  }

  /** Adds a webhook secret to a file written before webhooks, and prints it once. */
  private static ServerConfig withWebhookSecret(
      Path file, ServerConfig old, java.io.PrintStream out) throws IOException {
    String secret = WebhookSecret.generate().text();
    ServerConfig config = new ServerConfig(old.jwtSecret(), secret, old.users(), old.apiKeys());
    Path next = file.resolveSibling(file.getFileName() + ".new");
    Files.deleteIfExists(next);
    write(next, JSON.writeValueAsBytes(config));
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE); // never a half-written file
    out.println("Added a webhook signing secret to " + file + " (shown once): " + secret);
    return config;
  }

  /** Creates the file readable by its owner only before anything secret is written to it. */
  private static void write(Path file, byte[] content) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file); // not a POSIX file system: its default permissions apply
    }
    Files.write(file, content, StandardOpenOption.WRITE);
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static String token(int bytes) {
    return HexFormat.of().formatHex(bytes(bytes));
  }
}
