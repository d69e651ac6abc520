package dev.errand.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The server's command line and its usage text. */
class ServerOptionsTest {
  /** An option's name alone, so that --jdbc-password is not found inside --jdbc-password-env. */
  private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--[a-z][a-z-]*[a-z](?![\\w-])");

  @Test
  void theUsageTextNamesEveryOptionTheParserAccepts() {
    assertThat(ServerOptions.names()).isNotEmpty();
    assertThat(OPTION.matcher(ServerOptions.USAGE).results().map(m -> m.group()))
        .as("options in the usage text")
        .containsAll(ServerOptions.names());
  }

  @Test
  void theParserAcceptsEveryOptionTheUsageTextNames() {
    assertThat(ServerOptions.names())
        .containsAll(OPTION.matcher(ServerOptions.USAGE).results().map(m -> m.group()).toList());
  }
}
