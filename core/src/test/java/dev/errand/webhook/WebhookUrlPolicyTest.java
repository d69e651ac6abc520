package dev.errand.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF guard, with literal addresses and an injected resolver (no network needed). */
class WebhookUrlPolicyTest {
  private final WebhookUrlPolicy policy = WebhookUrlPolicy.defaults();

  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.9.9.9",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fd00::1",
        "fe80::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::127.0.0.1",
        "64:ff9b::a9fe:a9fe",
        "2002:7f00:1::",
        "2001:0:4136:e378::1"
      })
  void privateAndSpecialAddressesAreRefused(String literal) throws Exception {
    assertThat(policy.isPermitted(ip(literal))).as(literal).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"})
  void publicAddressesArePermitted(String literal) throws Exception {
    assertThat(policy.isPermitted(ip(literal))).as(literal).isTrue();
  }

  @Test
  void aNameResolvingToLoopbackIsRefusedAndAPublicOneAllowed() throws Exception {
    WebhookUrlPolicy resolving =
        policy.resolvingWith(
            host ->
                host.equals("evil.example")
                    ? new InetAddress[] {ip("93.184.215.14"), ip("127.0.0.1")}
                    : new InetAddress[] {ip("93.184.215.14")});
    assertThatThrownBy(() -> resolving.addressesFor(URI.create("https://evil.example/hook")))
        .isInstanceOf(WebhookUrlRefusedException.class)
        .hasMessageContaining("127.0.0.1");
    assertThat(resolving.addressesFor(URI.create("https://good.example/hook")))
        .containsExactly(ip("93.184.215.14"));
  }

  @Test
  void formsAreChecked() {
    assertThat(policy.formProblem(URI.create("http://good.example/h")))
        .contains("must be an https URL");
    assertThat(policy.allowingHttp().formProblem(URI.create("http://good.example/h"))).isEmpty();
    assertThat(policy.formProblem(URI.create("https://user:pw@good.example/h")))
        .contains("must not carry a user name or password");
    assertThat(policy.formProblem(URI.create("https:///nohost"))).contains("must name a host");
    assertThatThrownBy(() -> policy.addressesFor(URI.create("https://[::1]/h")))
        .isInstanceOf(WebhookUrlRefusedException.class);
  }

  @Test
  void anAllowListOpensAPrivateRangeOnly() throws Exception {
    WebhookUrlPolicy lab = policy.allowing("10.1.2.0/24");
    assertThat(lab.isPermitted(ip("10.1.2.7"))).isTrue();
    assertThat(lab.isPermitted(ip("10.1.3.7"))).isFalse();
    assertThat(lab.isPermitted(ip("::ffff:10.1.2.7"))).isTrue();
    assertThatThrownBy(() -> policy.allowing("localhost/8"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
