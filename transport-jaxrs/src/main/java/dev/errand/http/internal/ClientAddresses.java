package dev.errand.http.internal;

import dev.errand.http.ErrandFeature;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The client's address, as the host gives it in the request property {@link
 * ErrandFeature#CLIENT_ADDRESS_PROPERTY}: JAX-RS has no standard way to ask for it. Only the
 * characters of an address are kept, so a value cannot forge a log line.
 */
final class ClientAddresses {
  /** The source of a request whose host gave no address. */
  static final String UNKNOWN = "unknown";

  private static final int MAX_LENGTH = 64;

  private ClientAddresses() {}

  /** The address as given (an {@link InetAddress} or its text), or {@value #UNKNOWN}. */
  static String of(ContainerRequestContext request) {
    Object value = request.getProperty(ErrandFeature.CLIENT_ADDRESS_PROPERTY);
    String text = value instanceof InetAddress a ? a.getHostAddress() : String.valueOf(value);
    if (value == null || text.isBlank()) {
      return UNKNOWN;
    }
    StringBuilder clean = new StringBuilder();
    for (int i = 0; i < text.length() && clean.length() < MAX_LENGTH; i++) {
      char c = text.charAt(i);
      boolean allowed =
          Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == ':' || c == '%' || c == '-';
      clean.append(allowed ? c : '_');
    }
    return clean.toString();
  }

  /**
   * What the sign-in limits count by: the address, except that an IPv6 address counts by its /64
   * network, which one subscriber usually holds whole.
   */
  static String limitKey(String address) {
    if (!address.contains(":")) {
      return address;
    }
    try {
      // brackets make it a literal or an error, never a name lookup
      InetAddress parsed = InetAddress.getByName("[" + address + "]");
      if (!(parsed instanceof Inet6Address)) {
        return parsed.getHostAddress(); // an IPv4-mapped address
      }
      byte[] network = Arrays.copyOf(parsed.getAddress(), 16);
      Arrays.fill(network, 8, 16, (byte) 0);
      return InetAddress.getByAddress(network).getHostAddress() + "/64";
    } catch (UnknownHostException e) {
      return address;
    }
  }
}
