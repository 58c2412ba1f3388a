package io.gatehouse.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 CIDR block, e.g. {@code 10.0.0.0/8} or {@code ::1/128}. */
public final class Cidr {
    // Dotted quads only: InetAddress would also take "10" or "10.1", and look up "999.1.1.1" in DNS.
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1?\\d?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private Cidr(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /**
     * Parses {@code address/prefix}; a bare address means a single host.
     *
     * @throws IllegalArgumentException with a message naming what was expected
     */
    public static Cidr parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String addressPart = slash < 0 ? s : s.substring(0, slash);
        if (!isIpLiteral(addressPart)) {
            throw new IllegalArgumentException("\"" + text + "\" (expected: an IP address or CIDR such as 10.0.0.0/8)");
        }
        byte[] address;
        try {
            address = InetAddress.getByName(addressPart).getAddress(); // literal only: no DNS lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("\"" + text + "\" (expected: an IP address or CIDR such as 10.0.0.0/8)");
        }
        int maxBits = address.length * 8;
        int prefix = maxBits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > maxBits) {
                throw new IllegalArgumentException("\"" + text + "\" (expected: prefix length 0.." + maxBits + ")");
            }
        }
        return new Cidr(mask(address, prefix), prefix, text);
    }

    private static boolean isIpLiteral(String s) {
        return s.indexOf(':') >= 0 || IPV4.matcher(s).matches();
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xFF << (8 - bitsHere));
        }
        return out;
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        return java.util.Arrays.equals(mask(candidate, prefixLength), network);
    }

    /** Equal when the blocks are: {@code 10.0.0.1/8} and {@code 10.0.0.0/8} mean the same (a reload compares). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && prefixLength == other.prefixLength
                && java.util.Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        return text;
    }
}
