package io.gatehouse.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code server:} section.
 *
 * @param trustedProxies CIDRs whose {@code X-Forwarded-*} headers are believed
 * @param readyTimeout   how long {@code /readyz} waits for what requests need (Redis answering, the JWKS) before
 *                       it reports ready anyway
 */
public record ServerConfig(String host, int port, List<Cidr> trustedProxies, Duration shutdownGrace,
                           Duration readyTimeout, Limits limits, Timeouts timeouts) {
    public ServerConfig {
        trustedProxies = List.copyOf(trustedProxies);
    }

    /**
     * {@code server.limits}: sizes in bytes, and the number of header fields a request head may have.
     */
    public record Limits(int maxInitialLine, int maxHeaderBytes, long maxBodyBytes, int maxHeaders) {}

    /**
     * {@code server.timeouts}.
     *
     * @param requestHeader time allowed for a client to send a complete request head once it started one
     * @param idle          how long a keep-alive client connection may sit with no request in flight
     */
    public record Timeouts(Duration requestHeader, Duration idle) {}
}
