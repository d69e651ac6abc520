package dev.errand.examples.server;

import dev.errand.webhook.WebhookUrlPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
    boolean runTasks) {

  static final String USAGE =
      "options: [--host 127.0.0.1] [--port 8080] [--data ./data]"
          + " [--jdbc-url jdbc:postgresql://... --jdbc-user U --jdbc-password-env VAR]"
          + " [--demo-step-pause-ms 500] [--rate-limits on|off] [--webhook-http off|on]"
          + " [--webhook-allow CIDR,...] [--run-tasks on|off]";

  static ServerOptions parse(List<String> args) {
    String host = "127.0.0.1";
    int port = 8080;
    Path data = Path.of("data");
    String url = null;
    String user = null;
    String password = null;
    Duration pause = Duration.ofMillis(500);
    boolean limits = true;
    boolean webhookHttp = false;
    List<String> webhookAllow = List.of();
    boolean runTasks = true;
    for (int i = 0; i < args.size(); i += 2) {
      String name = args.get(i);
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException(name + " needs a value; " + USAGE);
      }
      String value = args.get(i + 1);
      switch (name) {
        case "--host" -> host = value;
        case "--port" -> port = Integer.parseInt(value);
        case "--data" -> data = Path.of(value);
        case "--jdbc-url" -> url = value;
        case "--jdbc-user" -> user = value;
        case "--jdbc-password" -> password = value;
        case "--jdbc-password-env" -> password = environment(name, value);
        case "--demo-step-pause-ms" -> pause = Duration.ofMillis(Long.parseLong(value));
        case "--rate-limits" -> limits = onOff(name, value);
        case "--webhook-http" -> webhookHttp = onOff(name, value);
        case "--webhook-allow" -> webhookAllow = List.of(value.split(","));
        case "--run-tasks" -> runTasks = onOff(name, value);
        default -> throw new IllegalArgumentException("unknown option " + name + "; " + USAGE);
      }
    }
    ServerOptions options =
        new ServerOptions(
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
            runTasks);
    options.webhookUrlPolicy(); // a bad range is refused now
    return options;
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

  private static boolean onOff(String name, String value) {
    return switch (value) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new IllegalArgumentException(name + " must be on or off, was " + value);
    };
  }
}
