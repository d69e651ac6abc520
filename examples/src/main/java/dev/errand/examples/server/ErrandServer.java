package dev.errand.examples.server;

import dev.errand.TaskEngine;
import dev.errand.agent.Agent;
import dev.errand.agent.SkillRegistry;
import dev.errand.http.AgentTasks;
import dev.errand.http.ApiKeys;
import dev.errand.http.Caller;
import dev.errand.http.CredentialCheck;
import dev.errand.http.ErrandFeature;
import dev.errand.http.JwtTokens;
import dev.errand.http.RateLimits;
import dev.errand.http.TokenSubjects;
import dev.errand.spi.TaskStore;
import dev.errand.store.jdbc.JdbcTaskStore;
import dev.errand.webhook.WebhookSecret;
import dev.errand.webhook.WebhookSecrets;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The standalone Errand server: the task API, the agent-task API, Server-Sent Events and the
 * WebSocket /ws/tasks on one Jetty port, an H2 database in ./data by default (PostgreSQL with
 * --jdbc-url, shared by several nodes), users and secrets from data/server.json (created on first
 * start; the data directory and its files are kept owner-only), signed webhooks, and demo agents
 * for research_agent, processing_agent, notification_agent and agent. With --run-tasks off a node
 * serves the API and its streams only.
 */
public final class ErrandServer implements AutoCloseable {
  private final TaskEngine engine;
  private final Server jetty;

  private ErrandServer(TaskEngine engine, Server jetty) {
    this.engine = engine;
    this.jetty = jetty;
  }

  public static void main(String[] args) throws Exception {
    SLF4JBridgeHandler.removeHandlersForRootLogger(); // Jersey logs through java.util.logging
    SLF4JBridgeHandler.install();
    ErrandServer server;
    try {
      server = start(ServerOptions.parse(List.of(args)), System.out, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "errand-shutdown"));
    server.jetty.join();
  }

  /**
   * Starts the server; {@code out} gets the first-start credentials and the address; {@code env}
   * may configure a language model for the agent task type ({@link LlmSettings}).
   */
  static ErrandServer start(ServerOptions options, PrintStream out, Map<String, String> env)
      throws Exception {
    DataDirectory.prepare(options.dataDir(), out); // owner-only before a secret is written
    ServerConfig config = ServerConfig.loadOrCreate(options.dataDir().resolve("server.json"), out);
    Optional<LlmSettings> llm = LlmSettings.from(env);
    TaskEngine engine = engine(options, config, llm, store(options));
    try {
      DataDirectory.tightenNewFiles(options.dataDir()); // H2 has created its files by the umask
      ErrandServer server =
          new ErrandServer(
              engine, JettyServer.create(options, feature(config, engine, options, llm)));
      server.jetty.start(); // binds the port before any task runs
      if (options.runTasks()) {
        engine.start();
      }
      String scheme = options.tlsKeystore() == null ? "http" : "https";
      out.println(
          "Errand server listening on " + scheme + "://" + options.host() + ":" + server.port());
      return server;
    } catch (Exception e) {
      engine.close(); // the port was taken, say: leave nothing running
      throw e;
    }
  }

  private static ErrandFeature feature(
      ServerConfig config, TaskEngine engine, ServerOptions options, Optional<LlmSettings> llm) {
    JwtTokens tokens = JwtTokens.builder(config.secretBytes()).subjects(subjects(config)).build();
    return ErrandFeature.builder(engine)
        .tokens(tokens)
        .login(users(config))
        .rateLimits(options.rateLimits() ? RateLimits.defaults() : RateLimits.unlimited())
        .agentTasks(
            AgentTasks.builder()
                .apiKeys(ApiKeys.of(config.apiKeys()))
                .skills(SkillRegistry.of(List.of()))
                .defaultModel(llm.map(LlmSettings::defaultModel).orElse("demo"))
                .allowedModels(llm.map(LlmSettings::models).orElse(Set.of()))
                .build())
        .build();
  }

  /** The port the server listens on. */
  int port() {
    return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  private static TaskStore store(ServerOptions options) {
    if (options.jdbcUrl() != null) {
      return JdbcTaskStore.builder(options.jdbcUrl(), options.jdbcUser(), options.jdbcPassword())
          .build();
    }
    return JdbcTaskStore.h2File(options.dataDir());
  }

  private static TaskEngine engine(
      ServerOptions options, ServerConfig config, Optional<LlmSettings> llm, TaskStore store) {
    DemoWork work = new DemoWork(options.stepPause());
    return TaskEngine.builder()
        .store(store)
        .closeStoreOnClose(true)
        .webhookSecrets(WebhookSecrets.of(WebhookSecret.parse(config.webhookSecret())))
        .webhookUrlPolicy(options.webhookUrlPolicy())
        .agent("research_agent", new ResearchAgent(work))
        .agent("processing_agent", new ProcessingAgent(work))
        .agent("notification_agent", new NotificationAgent(work))
        .agent(
            AgentTasks.DEFAULT_TASK_TYPE,
            llm.<Agent>map(LlmSettings::agent).orElseGet(() -> new PromptAgent(work)))
        .build();
  }

  /** The users of the file may hold tokens of their version, unless disabled. */
  private static TokenSubjects subjects(ServerConfig config) {
    return caller ->
        config.users().stream()
            .filter(u -> u.username().equals(caller.userId()))
            .filter(u -> u.organization().equals(caller.organizationId()) && !u.disabled())
            .findFirst()
            .map(u -> OptionalLong.of(u.tokenVersion()))
            .orElse(OptionalLong.empty());
  }

  private static CredentialCheck users(ServerConfig config) {
    return (username, password) -> {
      Optional<ServerConfig.User> user =
          config.users().stream()
              .filter(u -> u.username().equals(username) && !u.disabled())
              .findFirst();
      // hash even for an unknown user, so timing does not tell which names exist
      String hash = user.map(ServerConfig.User::passwordHash).orElse(DUMMY_HASH);
      boolean ok = PasswordHashes.matches(password, hash) && user.isPresent();
      Arrays.fill(password, '\0');
      return ok ? user.map(u -> new Caller(u.organization(), u.username())) : Optional.empty();
    };
  }

  private static final String DUMMY_HASH = PasswordHashes.hash("not a password".toCharArray());

  /** Stops taking requests, then stops the engine (giving running tasks back) and the store. */
  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      System.err.println("stopping the HTTP server failed: " + e);
    }
    engine.close();
  }
}
