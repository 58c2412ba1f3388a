package io.gatehouse.config;

import java.util.Locale;
import java.util.Objects;

/** Parses backend URLs: {@code http://host[:port][/]} and {@code https://host[:port][/]}. */
public final class BackendUrls {
    private static final String EXAMPLE = "such as http://127.0.0.1:9001";

    private BackendUrls() {}

    /**
     * Parses {@code url}; the host is lower-cased and IPv6 brackets are dropped, the port defaults to 80 for http and
     * 443 for https.
     *
     * @throws IllegalArgumentException whose message says what was expected, without the value
     */
    public static BackendConfig parse(String url, int weight) {
        Objects.requireNonNull(url, "url");
        String lower = url.toLowerCase(Locale.ROOT);
        boolean tls = lower.startsWith("https://");
        if (!tls && !lower.startsWith("http://")) {
            throw new IllegalArgumentException("expected an http:// or https:// URL " + EXAMPLE);
        }
        String rest = url.substring(tls ? "https://".length() : "http://".length());
        int end = firstIndexOf(rest, "/?#");
        String authority = rest.substring(0, end);
        String tail = rest.substring(end);
        if (authority.indexOf('@') >= 0) {
            throw new IllegalArgumentException("expected no user info in a backend URL");
        }
        if (tail.contains("?")) {
            throw new IllegalArgumentException("expected no query in a backend URL");
        }
        if (tail.contains("#")) {
            throw new IllegalArgumentException("expected no fragment in a backend URL");
        }
        if (!tail.isEmpty() && !tail.equals("/")) {
            throw new IllegalArgumentException("expected no path in a backend URL, only http(s)://host[:port]; "
                    + "use the route's rewrite to change paths");
        }
        return parseAuthority(authority, url, weight, tls);
    }

    private static BackendConfig parseAuthority(String authority, String url, int weight, boolean tls) {
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("expected a closing ']' after the IPv6 address");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException("expected ':port' after the IPv6 address");
                }
                portText = after.substring(1);
            }
            if (!Hosts.isIpv6Literal(host)) {
                throw new IllegalArgumentException("expected a valid IPv6 address between the brackets");
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
            if (!Hosts.isName(host)) {
                throw new IllegalArgumentException("expected a host name or IP address " + EXAMPLE);
            }
        }
        return new BackendConfig(url, host.toLowerCase(Locale.ROOT), parsePort(portText, tls ? 443 : 80), weight, tls);
    }

    private static int parsePort(String text, int defaultPort) {
        if (text == null) {
            return defaultPort;
        }
        if (isPortDigits(text)) { // not String.matches: that compiles a pattern per backend
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        }
        throw new IllegalArgumentException("expected a port in 1..65535");
    }

    /** One to five ASCII digits. */
    private static boolean isPortDigits(String text) {
        if (text.isEmpty() || text.length() > 5) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int firstIndexOf(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }
}
