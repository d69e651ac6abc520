package dev.errand.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which webhook URLs Errand may call, so that a task's webhook cannot reach the server's own
 * network (server-side request forgery). A URL must be https (http only when allowed), carry no
 * user info, and every address its host resolves to must be public: loopback, private,
 * carrier-grade NAT, link-local (169.254.169.254, the cloud metadata address, included),
 * unspecified, multicast, reserved, and IPv6 forms that embed such an IPv4 address are refused
 * unless an allow-list range holds them. Immutable and thread-safe.
 */
public final class WebhookUrlPolicy {
  /** Looks up a host's addresses; the system resolver by default, replaceable in tests. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private static final List<Cidr> FORBIDDEN_V4 =
      List.of(
          Cidr.parse("0.0.0.0/8"), // this network
          Cidr.parse("10.0.0.0/8"),
          Cidr.parse("100.64.0.0/10"), // carrier-grade NAT
          Cidr.parse("127.0.0.0/8"),
          Cidr.parse("169.254.0.0/16"), // link-local, cloud metadata
          Cidr.parse("172.16.0.0/12"),
          Cidr.parse("192.0.0.0/24"), // protocol assignments
          Cidr.parse("192.0.2.0/24"), // documentation
          Cidr.parse("192.168.0.0/16"),
          Cidr.parse("198.18.0.0/15"), // benchmarking
          Cidr.parse("198.51.100.0/24"),
          Cidr.parse("203.0.113.0/24"),
          Cidr.parse("224.0.0.0/4"), // multicast
          Cidr.parse("240.0.0.0/4")); // reserved, broadcast

  private static final List<Cidr> FORBIDDEN_V6 =
      List.of(
          Cidr.parse("::/128"),
          Cidr.parse("::1/128"),
          Cidr.parse("fc00::/7"), // unique local
          Cidr.parse("fe80::/10"), // link-local
          Cidr.parse("fec0::/10"), // site-local (deprecated)
          Cidr.parse("ff00::/8"), // multicast
          Cidr.parse("2001::/32"), // Teredo: tunnels to any IPv4 address
          Cidr.parse("2001:db8::/32")); // documentation

  private final boolean allowHttp;
  private final List<Cidr> allowed;
  private final Resolver resolver;

  private WebhookUrlPolicy(boolean allowHttp, List<Cidr> allowed, Resolver resolver) {
    this.allowHttp = allowHttp;
    this.allowed = List.copyOf(allowed);
    this.resolver = resolver;
  }

  /** https only, public addresses only, the system resolver. */
  public static WebhookUrlPolicy defaults() {
    return new WebhookUrlPolicy(false, List.of(), InetAddress::getAllByName);
  }

  /** This policy also allowing plain http URLs. */
  public WebhookUrlPolicy allowingHttp() {
    return new WebhookUrlPolicy(true, allowed, resolver);
  }

  /**
   * This policy also allowing addresses in a range, such as {@code 10.1.2.0/24} for a receiver on
   * the host's private network.
   *
   * @throws IllegalArgumentException if the range is not {@code address/prefix}
   */
  public WebhookUrlPolicy allowing(String cidr) {
    List<Cidr> more = new ArrayList<>(allowed);
    more.add(Cidr.parse(cidr));
    return new WebhookUrlPolicy(allowHttp, more, resolver);
  }

  /** This policy looking hosts up with another resolver. */
  public WebhookUrlPolicy resolvingWith(Resolver resolver) {
    return new WebhookUrlPolicy(allowHttp, allowed, Objects.requireNonNull(resolver, "resolver"));
  }

  /** What is wrong with the URL's form (scheme, user info, host), or empty when nothing is. */
  public Optional<String> formProblem(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
      return Optional.of(allowHttp ? "must be an http or https URL" : "must be an https URL");
    }
    if (url.getRawUserInfo() != null) {
      return Optional.of("must not carry a user name or password");
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      return Optional.of("must name a host");
    }
    return Optional.empty();
  }

  /**
   * Why the URL's host would reach an address that is not permitted, or empty when it would not or
   * when the host does not resolve now (a delivery checks again, and refuses it then).
   */
  public Optional<String> addressProblem(URI url) {
    try {
      for (InetAddress a : resolver.resolve(hostOf(url))) {
        if (!isPermitted(a)) {
          return Optional.of(
              "must not reach a private, loopback, link-local or reserved address"
                  + " ("
                  + url.getHost()
                  + " is "
                  + a.getHostAddress()
                  + ")");
        }
      }
      return Optional.empty();
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /**
   * The addresses a delivery may connect to: every address of the URL's host, all of them
   * permitted.
   *
   * @throws WebhookUrlRefusedException if the form is wrong, the host does not resolve, or any of
   *     its addresses is not permitted
   */
  public List<InetAddress> addressesFor(URI url) {
    formProblem(url).ifPresent(p -> refuse(url, p));
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(hostOf(url));
    } catch (UnknownHostException e) {
      throw WebhookUrlRefusedException.unresolved(url);
    }
    for (InetAddress a : addresses) {
      if (!isPermitted(a)) {
        refuse(url, "its host resolves to " + a.getHostAddress() + ", which is not public");
      }
    }
    return List.of(addresses);
  }

  /** Whether a connection to this address is permitted. */
  public boolean isPermitted(InetAddress address) {
    InetAddress a = embeddedIpv4(address);
    for (Cidr c : allowed) {
      if (c.contains(a) || c.contains(address)) {
        return true;
      }
    }
    List<Cidr> forbidden = a instanceof Inet4Address ? FORBIDDEN_V4 : FORBIDDEN_V6;
    return forbidden.stream().noneMatch(c -> c.contains(a));
  }

  private static String hostOf(URI url) {
    String host = url.getHost();
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /**
   * The IPv4 address inside an IPv6 address that embeds one (IPv4-mapped ::ffff:a.b.c.d,
   * IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::a.b.c.d, 6to4 2002:AABB:CCDD::), else the address.
   */
  static InetAddress embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] b = address.getAddress();
    boolean zeros10 = allZero(b, 0, 10);
    boolean mapped = zeros10 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    boolean compatible = zeros10 && b[10] == 0 && b[11] == 0 && !allZero(b, 12, 16);
    boolean nat64 =
        (b[0] & 0xff) == 0x00
            && (b[1] & 0xff) == 0x64
            && (b[2] & 0xff) == 0xff
            && (b[3] & 0xff) == 0x9b
            && allZero(b, 4, 12);
    if (mapped || compatible || nat64) {
      return v4(b[12], b[13], b[14], b[15]);
    }
    if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) { // 6to4
      return v4(b[2], b[3], b[4], b[5]);
    }
    return address;
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static InetAddress v4(byte a, byte b, byte c, byte d) {
    try {
      return InetAddress.getByAddress(new byte[] {a, b, c, d});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void refuse(URI url, String why) {
    throw new WebhookUrlRefusedException(url, why);
  }
}
