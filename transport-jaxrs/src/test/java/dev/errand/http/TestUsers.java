package dev.errand.http;

import java.util.Arrays;
import java.util.Optional;

/** The one user the sign-in tests know: jane@acme.test of organization acme. */
final class TestUsers {
  static final String JANE = "jane@acme.test";

  private TestUsers() {}

  /** A credential check that knows jane, with this password, and no one else. */
  static CredentialCheck jane(String password) {
    return (name, given) ->
        name.equals(JANE) && Arrays.equals(given, password.toCharArray())
            ? Optional.of(new Caller("acme", JANE))
            : Optional.empty();
  }
}
