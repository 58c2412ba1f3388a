package io.gatehouse.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Syntax checks for host names and IP literals; never resolves anything. */
final class Hosts {
    // Labels of letters, digits, '-' and '_' (the latter is common in container names); IPv4 literals fit too.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");

    private Hosts() {}

    static boolean isName(String s) {
        return s.length() <= 253 && NAME.matcher(s).matches();
    }

    /** Digits and dots only, like an IPv4 literal: never a DNS name (no top-level domain is numeric). */
    static boolean isIpv4Like(String s) {
        return DIGITS_AND_DOTS.matcher(s).matches();
    }

    /** An IPv6 address without brackets, e.g. {@code ::1}. */
    static boolean isIpv6Literal(String s) {
        if (s.indexOf(':') < 0 || !IPV6_CHARS.matcher(s).matches()) {
            return false;
        }
        try {
            return InetAddress.getByName(s) instanceof Inet6Address; // a literal, so no DNS lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
