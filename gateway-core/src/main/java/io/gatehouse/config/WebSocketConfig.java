package io.gatehouse.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A route's {@code websocket} settings; a route without them ({@code null} in {@link RouteConfig}) refuses upgrades.
 *
 * @param idleTimeout no byte in either direction for this long closes the tunnel (close code 1001 to both ends)
 * @param maxLifetime a tunnel older than this is closed the same way, however busy
 */
public record WebSocketConfig(Duration idleTimeout, Duration maxLifetime) {
    /**
     * Envoy's stream idle timeout (5 minutes) rather than nginx's 60 s {@code proxy_read_timeout}: applications
     * commonly ping every 30 to 120 s, and a minute cuts the slower ones.
     */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    /**
     * A day: long enough that clients which reconnect daily (or never idle) are not cut in normal use, short enough
     * that a forgotten connection, or one still holding a backend that left the configuration, ends.
     */
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofHours(24);
    public static final WebSocketConfig DEFAULTS = new WebSocketConfig(DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_LIFETIME);

    public WebSocketConfig {
        requireNonNull(idleTimeout, "idleTimeout");
        requireNonNull(maxLifetime, "maxLifetime");
    }
}
