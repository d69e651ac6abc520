package dev.errand.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address range, {@code address/prefix-length}, of either IP version. */
record Cidr(byte[] network, int prefix) {
  static Cidr parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("an address range must be address/prefix, was " + text);
    }
    String host = text.substring(0, slash);
    if (!host.matches("[0-9a-fA-F:.]+")) { // a literal address only, never a name to look up
      throw new IllegalArgumentException("not an IP address: " + host);
    }
    try {
      byte[] network = InetAddress.getByName(host).getAddress();
      int prefix = Integer.parseInt(text.substring(slash + 1));
      if (prefix < 0 || prefix > network.length * 8) {
        throw new IllegalArgumentException("prefix out of range in " + text);
      }
      return new Cidr(network, prefix);
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("not an address range: " + text, e);
    }
  }

  boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (a[full] & mask) == (network[full] & mask);
  }
}
