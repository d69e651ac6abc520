package dev.errand.examples.server;

import dev.errand.webhook.WebhookUrlPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server's command line.
 *
 * @param host the address to listen on
 * @param port the port, 0 for any free one
 * @param dataDir where the H2 database and the config file live
 * @param jdbcUrl a PostgreSQL JDBC URL instead of H2, or null
 * @param jdbcUser its user
 * @param jdbcPassword its password
 * @param stepPause the demo agents' pause per step
 * @param rateLimits whether the API's request limits apply
 * @param webhookHttp whether webhook URLs may be plain http
 * @param webhookAllow address ranges webhooks may reach although private or loopback
 * @param runTasks whether this node runs tasks; if not, it only serves the API and its streams
 * @param tlsKeystore a PKCS12 key store whose key and certificate serve HTTPS, or null for HTTP
 * @param tlsPassword the key store's password, or null
 */
record ServerOptions(
    String host,
    int port,
    Path dataDir,
    String jdbcUrl,
    String jdbcUser,
    String jdbcPassword,
    Duration stepPause,
    boolean rateLimits,
    boolean webhookHttp,
    List<String> webhookAllow,
    boolean runTasks,
    Path tlsKeystore,
    String tlsPassword) {

  static final String USAGE =
      "options: [--host 127.0.0.1] [--port 8080] [--data ./data]"
          + " [--jdbc-url jdbc:postgresql://... --jdbc-user U"
          + " {--jdbc-password-env VAR | --jdbc-password P}]"
          + " [--demo-step-pause-ms 500] [--rate-limits on|off] [--webhook-http off|on]"
          + " [--webhook-allow CIDR,...] [--run-tasks on|off]"
          + " [--tls-keystore FILE.p12 --tls-password-env VAR]";

  /** What each option sets; the parser accepts these names and no other. */
  private static final Map<String, Option> OPTIONS =
      Map.ofEntries(
          Map.entry("--host", (v, name, value) -> v.host = value),
          Map.entry("--port", (v, name, value) -> v.port = Integer.parseInt(value)),
          Map.entry("--data", (v, name, value) -> v.data = Path.of(value)),
          Map.entry("--jdbc-url", (v, name, value) -> v.url = value),
          Map.entry("--jdbc-user", (v, name, value) -> v.user = value),
          Map.entry("--jdbc-password", (v, name, value) -> v.password = value),
          Map.entry(
              "--jdbc-password-env", (v, name, value) -> v.password = environment(name, value)),
          Map.entry(
              "--demo-step-pause-ms",
              (v, name, value) -> v.pause = Duration.ofMillis(Long.parseLong(value))),
          Map.entry("--rate-limits", (v, name, value) -> v.limits = onOff(name, value)),
          Map.entry("--webhook-http", (v, name, value) -> v.webhookHttp = onOff(name, value)),
          Map.entry(
              "--webhook-allow", (v, name, value) -> v.webhookAllow = List.of(value.split(","))),
          Map.entry("--run-tasks", (v, name, value) -> v.runTasks = onOff(name, value)),
          Map.entry("--tls-keystore", (v, name, value) -> v.tlsKeystore = Path.of(value)),
          Map.entry(
              "--tls-password-env", (v, name, value) -> v.tlsPassword = environment(name, value)));

  static ServerOptions parse(List<String> args) {
    Values values = new Values();
    for (int i = 0; i < args.size(); i += 2) {
      String name = args.get(i);
      Option option = OPTIONS.get(name);
      if (option == null) {
        throw new IllegalArgumentException("unknown option " + name + "; " + USAGE);
      }
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException(name + " needs a value; " + USAGE);
      }
      option.set(values, name, args.get(i + 1));
    }
    ServerOptions options = values.options();
    options.webhookUrlPolicy(); // a bad range is refused now
    if ((options.tlsKeystore() == null) != (options.tlsPassword() == null)) {
      throw new IllegalArgumentException(
          "--tls-keystore and --tls-password-env go together; " + USAGE);
    }
    return options;
  }

  /** The names of the options the parser accepts. */
  static Set<String> names() {
    return OPTIONS.keySet();
  }

  /** Which webhook URLs tasks may give, by the webhook options; each range checked here. */
  WebhookUrlPolicy webhookUrlPolicy() {
    WebhookUrlPolicy policy = WebhookUrlPolicy.defaults();
    if (webhookHttp) {
      policy = policy.allowingHttp();
    }
    for (String range : webhookAllow) {
      try {
        policy = policy.allowing(range.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--webhook-allow: " + e.getMessage(), e);
      }
    }
    return policy;
  }

  /** The value of an environment variable, so a password need not show in the process list. */
  private static String environment(String option, String variable) {
    String value = System.getenv(variable);
    if (value == null) {
      throw new IllegalArgumentException(
          option + ": environment variable " + variable + " is not set");
    }
    return value;
  }

  /** What an option does with its value. */
  @FunctionalInterface
  private interface Option {
    void set(Values values, String name, String value);
  }

  /** The options as parsed so far, starting from the defaults. */
  private static final class Values {
    String host = "127.0.0.1";
    int port = 8080;
    Path data = Path.of("data");
    String url;
    String user;
    String password;
    Duration pause = Duration.ofMillis(500);
    boolean limits = true;
    boolean webhookHttp;
    List<String> webhookAllow = List.of();
    boolean runTasks = true;
    Path tlsKeystore;
    String tlsPassword;

    ServerOptions options() {
      return new ServerOptions(
          host,
          port,
          data,
          url,
          user,
          password,
          pause,
          limits,
          webhookHttp,
          webhookAllow,
          runTasks,
          tlsKeystore,
          tlsPassword);
    }
  }

  private static boolean onOff(String name, String value) {
    return switch (value) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new IllegalArgumentException(name + " must be on or off, was " + value);
    };
  }
}
