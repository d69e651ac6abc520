package dev.errand.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.errand.http.LoginLimits;
import dev.errand.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sign-in limits with the clock moved by the test: no sleeps. */
class LoginGuardTest {
  private static final String ATTACKER = "203.0.113.66";
  private static final String USER_AT_HOME = "198.51.100.7";

  private final MutableClock clock = MutableClock.create();
  private LoginGuard guard = new LoginGuard(LoginLimits.defaults(), clock);

  /** The limits per username and source alone: a source may fail a thousand times. */
  private void onlyPerUsernameAndSource() {
    guard =
        new LoginGuard(
            LoginLimits.builder()
                .sourceFailuresBeforeDelay(1000)
                .sourceFailuresBeforeRefusal(1000)
                .usernameFailuresBeforeDelay(1000)
                .build(),
            clock);
  }

  private void fail(String username, String source) {
    try (LoginGuard.Attempt attempt = guard.admit(username, source)) {
      attempt.failed();
    }
  }

  private void succeed(String username, String source) {
    try (LoginGuard.Attempt attempt = guard.admit(username, source)) {
      attempt.succeeded();
    }
  }

  /** The answer to an attempt held back before its password is checked. */
  private ApiException heldBack(String username, String source) {
    ApiException e = catchThrowableOfType(ApiException.class, () -> guard.admit(username, source));
    assertThat(e).as("%s from %s is held back", username, source).isNotNull();
    return e;
  }

  private static long retryAfter(ApiException e) {
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.code()).isEqualTo("RATE_LIMIT_EXCEEDED");
    return Long.parseLong(e.headers().get("Retry-After"));
  }

  @Test
  void failuresOfAUsernameFromASourceDelayItsNextAttemptsMoreEachTimeAndASuccessClearsThem() {
    onlyPerUsernameAndSource();
    for (int i = 0; i < 3; i++) {
      fail("jane", ATTACKER);
    }
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      long wait = retryAfter(heldBack("JANE", ATTACKER)); // whatever the case of the name
      waits.add(wait);
      clock.advance(Duration.ofSeconds(wait - 1));
      assertThat(retryAfter(heldBack("jane", ATTACKER))).as("a second before").isEqualTo(1);
      clock.advance(Duration.ofSeconds(1));
      fail("jane", ATTACKER);
    }
    assertThat(waits).containsExactly(1L, 2L, 4L, 8L, 16L, 32L);

    clock.advance(Duration.ofSeconds(64));
    succeed("jane", ATTACKER);
    for (int i = 0; i < 3; i++) {
      fail("jane", ATTACKER); // the slate is clean again: three more before a delay
    }
    assertThat(retryAfter(heldBack("jane", ATTACKER))).isEqualTo(1);
  }

  @Test
  void theDelayStopsGrowingAtTheMaximumAndFailuresAreForgottenAfterAnHour() {
    onlyPerUsernameAndSource();
    for (int i = 0; i < 14; i++) {
      clock.advance(Duration.ofMinutes(15));
      fail("jane", ATTACKER);
    }
    assertThat(retryAfter(heldBack("jane", ATTACKER))).isEqualTo(900);
    clock.advance(Duration.ofHours(1));
    for (int i = 0; i < 3; i++) {
      fail("jane", ATTACKER);
    }
    assertThat(retryAfter(heldBack("jane", ATTACKER))).isEqualTo(1);
  }

  @Test
  void anotherSourceIsNotHeldBackByTheFailuresOfOne() {
    for (int i = 0; i < 20; i++) {
      clock.advance(Duration.ofMinutes(15));
      try {
        fail("jane", ATTACKER);
      } catch (ApiException refused) {
        // the attacker is held back for longer and longer
      }
    }
    heldBack("jane", ATTACKER);
    succeed("jane", USER_AT_HOME);
  }

  @Test
  void aSourceFailingForManyUsernamesIsDelayedAndThenRefusedUntilItsFailuresAreForgotten() {
    for (int i = 0; i < 10; i++) {
      fail("user" + i, ATTACKER);
    }
    List<Long> waits = new ArrayList<>();
    for (int i = 10; i < 20; i++) {
      long wait = retryAfter(heldBack("user" + i, ATTACKER));
      waits.add(wait);
      clock.advance(Duration.ofSeconds(wait));
      fail("user" + i, ATTACKER);
    }
    assertThat(waits).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 512L);
    clock.advance(Duration.ofMinutes(30));
    ApiException refused = heldBack("someone-else", ATTACKER);
    assertThat(retryAfter(refused)).as("until an hour after the last failure").isEqualTo(1800);
    assertThat(refused.getMessage()).contains("refused");
    succeed("jane", USER_AT_HOME);

    clock.advance(Duration.ofMinutes(30));
    fail("someone-else", ATTACKER);
  }

  @Test
  void aUsernameFailingFromManySourcesHoldsBackOnlySourcesThatHaveFailed() {
    succeed("jane", USER_AT_HOME); // her usual address
    fail("bob", USER_AT_HOME); // which has failed since, for someone else
    for (int i = 1; i <= 12; i++) {
      fail("jane", "192.0.2." + i); // one guess from each of many addresses
    }
    long wait = retryAfter(heldBack("jane", "192.0.2.1"));
    assertThat(wait).as("the 12th failure of the username, 2 over its 10").isEqualTo(4);
    succeed("jane", "192.0.2.200"); // an address without failures
    succeed("jane", USER_AT_HOME); // an address she signed in from
  }

  @Test
  void withoutAnAddressFailuresCountPerUsernameForEveryone() {
    for (int i = 0; i < 3; i++) {
      fail("jane", ClientAddresses.UNKNOWN);
    }
    assertThat(retryAfter(heldBack("jane", ClientAddresses.UNKNOWN))).isEqualTo(1);
    for (int i = 0; i < 30; i++) { // no limit per source: that would hold back every client
      fail("user" + i, ClientAddresses.UNKNOWN);
    }
    succeed("bob", ClientAddresses.UNKNOWN);
  }

  @Test
  void anIpv6SubscriberCountsAsOneSourceByItsNetwork() {
    for (int i = 1; i <= 3; i++) {
      fail("jane", "2001:db8:1:2::" + i);
    }
    heldBack("jane", "2001:db8:1:2:ffff::9");
    succeed("jane", "2001:db8:1:3::1");
  }

  @Test
  void whenChecksAreBusyFailingSourcesAreTurnedAwayFirst() {
    LoginGuard busy =
        new LoginGuard(
            LoginLimits.builder().concurrentChecks(2).checkWait(Duration.ZERO).build(), clock);
    try (LoginGuard.Attempt failed = busy.admit("bob", ATTACKER)) {
      failed.failed();
    }
    try (LoginGuard.Attempt first = busy.admit("jane", USER_AT_HOME)) {
      ApiException throttled =
          catchThrowableOfType(ApiException.class, () -> busy.admit("carol", ATTACKER));
      assertThat(throttled.status()).as("the last free check is kept").isEqualTo(429);
      try (LoginGuard.Attempt second = busy.admit("dave", "192.0.2.5")) {
        ApiException full =
            catchThrowableOfType(ApiException.class, () -> busy.admit("erin", "192.0.2.6"));
        assertThat(full.status()).isEqualTo(503);
        assertThat(full.code()).isEqualTo("INSUFFICIENT_RESOURCES");
        assertThat(full.headers()).containsEntry("Retry-After", "1");
      }
    }
    try (LoginGuard.Attempt again = busy.admit("carol", ATTACKER)) {
      again.succeeded(); // both checks free again: a failing source may take one
    }
  }
}
