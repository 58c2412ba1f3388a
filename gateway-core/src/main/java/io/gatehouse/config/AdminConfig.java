package io.gatehouse.config;

/**
 * {@code admin:}: the admin API's own listener and how it authenticates.
 *
 * @param host                         the address to bind, an IP literal or a name
 * @param port                         the port to bind; 0 picks a free one
 * @param token                        the bearer token every request must carry, or {@code null} when the address
 *                                     is a loopback one and {@code allowUnauthenticatedLoopback} is set
 * @param allowUnauthenticatedLoopback requests without an {@code Authorization} header are accepted (the address
 *                                     is a loopback one, so only local processes reach it)
 */
public record AdminConfig(String host, int port, String token, boolean allowUnauthenticatedLoopback) {
    /** {@code host:port} as configured, IPv6 literals bracketed. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "AdminConfig[address=" + address() + ", token=" + (token != null)
                + ", allowUnauthenticatedLoopback=" + allowUnauthenticatedLoopback + "]"; // never the token
    }
}
