package dev.cairn.common;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 network, for "is this address inside the node subnet". Literals only, no DNS. */
public record Cidr(byte[] network, int prefix) {

  public static Cidr parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a CIDR: " + cidr);
    }
    return new Cidr(literal(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
  }

  public boolean contains(String address) {
    byte[] a;
    try {
      a = literal(address);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (a.length != network.length) {
      return false;
    }
    int bits = a.length * 8;
    BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
        .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
    return new BigInteger(1, a).and(mask).equals(new BigInteger(1, network).and(mask));
  }

  private static byte[] literal(String s) {
    if (!s.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("not an IP literal: " + s);
    }
    try {
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + s, e);
    }
  }
}
