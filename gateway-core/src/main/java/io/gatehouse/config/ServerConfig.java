package io.gatehouse.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code server:} section.
 *
 * @param trustedProxies CIDRs whose {@code X-Forwarded-*} headers are believed
 * @param readyTimeout   how long {@code /readyz} waits for what requests need (Redis answering, the JWKS) before
 *                       it reports ready anyway
 * @param tls            the HTTPS listener, or null for none
 * @param http2          HTTP/2 from clients, on both listeners
 */
public record ServerConfig(String host, int port, List<Cidr> trustedProxies, Duration shutdownGrace,
                           Duration readyTimeout, Limits limits, Timeouts timeouts, TlsConfig tls, Http2Config http2) {
    public ServerConfig {
        trustedProxies = List.copyOf(trustedProxies);
    }

    /**
     * {@code server.limits}: sizes in bytes, and the number of header fields a request head may have.
     */
    public record Limits(int maxInitialLine, int maxHeaderBytes, long maxBodyBytes, int maxHeaders) {}

    /**
     * {@code server.timeouts}: every wait on a client is bounded.
     *
     * @param requestHeader time allowed for a client to send a complete request head once it started one
     * @param idle          how long a keep-alive client connection may sit with no request in flight (an HTTP/2
     *                      connection: with no open stream)
     * @param requestBody   the longest gap between two reads of a request body while the gateway is reading it
     * @param send          the longest time a response may wait for the client to take any of it
     * @param discardBody   the longest time spent reading and dropping the body of a request the gateway refused
     */
    public record Timeouts(Duration requestHeader, Duration idle, Duration requestBody, Duration send,
                           Duration discardBody) {}
}
