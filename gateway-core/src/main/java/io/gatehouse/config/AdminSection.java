package io.gatehouse.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;

/**
 * Binds {@code admin:}. The admin API can change every route, so it must not share the gateway's listener and needs
 * a token, unless it listens on loopback only and {@code allow_unauthenticated_loopback} says so.
 */
final class AdminSection {
    private static final List<String> KEYS = List.of("address", "token", "allow_unauthenticated_loopback");
    private static final String ADDRESS_EXPECTED = "expected host:port such as 127.0.0.1:9901 or [::1]:9901";
    /** 16 characters: far below a generated token (openssl rand -hex 32 gives 64), far above a guessable word. */
    private static final int MIN_TOKEN_LENGTH = 16;
    private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "0:0:0:0:0:0:0:0");

    private AdminSection() {}

    private record Address(String host, int port) {}

    /** Null when absent (the admin API is off) or after reporting a problem. */
    static AdminConfig bind(Node admin, ServerConfig server) {
        if (!admin.isPresent() || !admin.expectMap(KEYS)) {
            return null;
        }
        Node addressNode = admin.get("address");
        Address address = addressNode.isPresent() ? addressNode.parse(AdminSection::address, ADDRESS_EXPECTED) : null;
        if (!addressNode.isPresent()) {
            addressNode.missing(ADDRESS_EXPECTED);
        }
        boolean loopback = address != null && isLoopback(address.host());
        if (address != null && sharesListener(address, server)) {
            addressNode.invalid("expected an address other than the gateway's own listener, server.host "
                    + server.host() + " and server.port " + server.port());
        }
        Node allowNode = admin.get("allow_unauthenticated_loopback");
        boolean allowUnauthenticated = allowNode.bool(false);
        if (allowUnauthenticated && address != null && !loopback) {
            allowNode.error("allowed only when admin.address is a loopback address such as 127.0.0.1:9901");
        }
        String token = token(admin.get("token"), address == null || (loopback && allowUnauthenticated));
        return address == null || (token == null && !(loopback && allowUnauthenticated)) ? null
                : new AdminConfig(address.host(), address.port(), token, allowUnauthenticated);
    }

    /**
     * The token, or null when absent or empty (as {@code ${GATEHOUSE_ADMIN_TOKEN:-}} gives). Errors never show the
     * value: it is a secret even when it is too short.
     *
     * @param optional no token is needed (or the address is already reported)
     */
    private static String token(Node node, boolean optional) {
        String token = node.string();
        if (token != null && token.isEmpty()) {
            token = null;
        }
        if (token != null && token.length() < MIN_TOKEN_LENGTH) {
            node.error("too short: " + token.length() + " characters (expected at least " + MIN_TOKEN_LENGTH
                    + ", such as the output of openssl rand -hex 32)");
            return null;
        }
        if (token == null && !optional) {
            node.error((node.isPresent() ? "empty" : "missing") + " (expected a bearer token of at least "
                    + MIN_TOKEN_LENGTH + " characters such as ${GATEHOUSE_ADMIN_TOKEN}; only a loopback address may"
                    + " go without one, with allow_unauthenticated_loopback: true)");
        }
        return token;
    }

    private static Address address(String text) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException(ADDRESS_EXPECTED);
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
            if (!Hosts.isIpv6Literal(host)) {
                throw new IllegalArgumentException(ADDRESS_EXPECTED);
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || text.indexOf(':') != colon) {
                throw new IllegalArgumentException(ADDRESS_EXPECTED);
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (!Hosts.isName(host)) {
                throw new IllegalArgumentException(ADDRESS_EXPECTED);
            }
        }
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("expected a port 0..65535 after the host, such as 127.0.0.1:9901");
        }
        return new Address(host, Integer.parseInt(port));
    }

    /** {@code localhost}, or an IP literal in 127.0.0.0/8 or ::1; never a DNS lookup. */
    static boolean isLoopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        try {
            Cidr.parse(host); // an IP literal, so the lookup below only parses it
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IllegalArgumentException | UnknownHostException e) {
            return false;
        }
    }

    /** Same port (not 0, which picks a free one) and a host that is the same or covers the other. */
    private static boolean sharesListener(Address admin, ServerConfig server) {
        return admin.port() != 0 && admin.port() == server.port()
                && (admin.host().equals(server.host()) || WILDCARDS.contains(admin.host())
                        || WILDCARDS.contains(server.host()));
    }
}
