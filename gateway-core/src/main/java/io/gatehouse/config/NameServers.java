package io.gatehouse.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Parses a DNS server address, {@code 10.0.0.2}, {@code 10.0.0.2:5353} or {@code [::1]:5353}; never resolves. */
final class NameServers {
    static final String EXPECTED = "expected an IP address with an optional port, such as 127.0.0.1:53 or [::1]:53";
    private static final int DNS_PORT = 53;
    // Dotted quads only: InetAddress would also take "10" or "10.1", and look up a name in DNS.
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1?\\d?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");

    private NameServers() {}

    /** @throws IllegalArgumentException with {@link #EXPECTED} */
    static InetSocketAddress parse(String text) {
        String host;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            host = close < 0 ? "" : text.substring(1, close);
            String after = close < 0 ? "" : text.substring(close + 1);
            if (!after.isEmpty()) {
                port = after.startsWith(":") ? after.substring(1) : "";
            }
            if (!Hosts.isIpv6Literal(host)) {
                throw new IllegalArgumentException(EXPECTED);
            }
        } else {
            int colon = text.indexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            port = colon < 0 ? null : text.substring(colon + 1);
            if (!IPV4.matcher(host).matches()) {
                throw new IllegalArgumentException(EXPECTED);
            }
        }
        return new InetSocketAddress(literal(host), port == null ? DNS_PORT : port(port));
    }

    private static int port(String text) {
        int port = PORT.matcher(text).matches() ? Integer.parseInt(text) : 0;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(EXPECTED);
        }
        return port;
    }

    private static InetAddress literal(String host) {
        try {
            return InetAddress.getByName(host); // checked to be a literal above, so no DNS lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(EXPECTED);
        }
    }
}
