package io.gatehouse.proxy.downstream;

import io.netty.util.NetUtil;

/**
 * The syntax of a {@code Host} value and of an absolute-form target's authority (RFC 9112 §3.2, RFC 3986 §3.2):
 * {@code host [":" port]}, where host is a bracketed IPv6 literal or a reg-name (an IPv4 address is one too) and
 * port is at most 65535. One pass over a character table; nothing is allocated except for an IPv6 literal.
 *
 * <p>Stricter than RFC 3986 in three ways, each a value no client needs: a comma (the value is also sent in
 * {@code X-Forwarded-Host}, a comma-separated list, where it would split into two hosts), userinfo ({@code @},
 * deprecated by RFC 9110 §4.2.4, which asks recipients to treat it as an error), and the rarely used IPvFuture
 * and zone-ID forms of IP literals.
 */
final class HostSyntax {
    private static final int MAX_PORT = 65_535;
    /** unreserved / sub-delims of RFC 3986, without ','; '%' is checked apart as the start of pct-encoded. */
    private static final boolean[] REG_NAME = table("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
            + "-._~" + "!$&'()*+;=");
    private static final boolean[] HEX = table("0123456789ABCDEFabcdef");
    private static final boolean[] IPV6 = table("0123456789ABCDEFabcdef:.");

    private HostSyntax() {}

    /** A {@code Host} header value: a valid authority, or empty (RFC 9110 §7.2, for a target without one). */
    static boolean isValidHostHeader(String value) {
        return value.isEmpty() || isValidAuthority(value);
    }

    /** A non-empty host with an optional port, without userinfo. */
    static boolean isValidAuthority(String value) {
        int length = value.length();
        int hostEnd = value.startsWith("[") ? ipLiteralEnd(value) : regNameEnd(value);
        if (hostEnd <= 0) {
            return false;
        }
        return hostEnd == length || (value.charAt(hostEnd) == ':' && isPort(value, hostEnd + 1));
    }

    /** @return the index after the closing bracket of a valid IPv6 literal, or -1 */
    private static int ipLiteralEnd(String value) {
        int close = value.indexOf(']');
        if (close < 3) {
            return -1;
        }
        for (int i = 1; i < close; i++) {
            if (!in(IPV6, value.charAt(i))) {
                return -1;
            }
        }
        return NetUtil.isValidIpV6Address(value.substring(1, close)) ? close + 1 : -1;
    }

    /** @return the index of the first character after the reg-name (0 when empty), or -1 when it is invalid */
    private static int regNameEnd(String value) {
        int i = 0;
        int length = value.length();
        while (i < length) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= length || !in(HEX, value.charAt(i + 1)) || !in(HEX, value.charAt(i + 2))) {
                    return -1;
                }
                i += 3;
            } else if (in(REG_NAME, c)) {
                i++;
            } else {
                return c == ':' ? i : -1;
            }
        }
        return i;
    }

    /** Digits only, possibly none (RFC 3986: port = *DIGIT), at most 65535. */
    private static boolean isPort(String value, int start) {
        int length = value.length();
        if (length - start > 5) {
            return false;
        }
        int port = 0;
        for (int i = start; i < length; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            port = port * 10 + (c - '0');
        }
        return port <= MAX_PORT;
    }

    private static boolean in(boolean[] table, char c) {
        return c < table.length && table[c];
    }

    private static boolean[] table(String chars) {
        boolean[] table = new boolean[128];
        for (int i = 0; i < chars.length(); i++) {
            table[chars.charAt(i)] = true;
        }
        return table;
    }
}
