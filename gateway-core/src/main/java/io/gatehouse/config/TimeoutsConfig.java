package io.gatehouse.config;

import java.time.Duration;

/**
 * The time limits of one proxied request. A pool's are complete (defaults filled in); a route's hold only what the
 * route sets, {@code null} for the rest, and {@link #orElse} layers them over the pool's.
 *
 * @param connect  to open a TCP connection to a backend
 * @param response per attempt, from asking for a connection (pool wait and connect included) to the response head
 * @param idle     between two reads from the backend while its response body streams
 * @param request  the whole request, from its head arriving to the end of the response, retries and backoff
 *                 included; {@link Duration#ZERO} for no limit
 */
public record TimeoutsConfig(Duration connect, Duration response, Duration idle, Duration request) {
    /** A pool's timeouts when it sets none. */
    public static final TimeoutsConfig DEFAULTS = new TimeoutsConfig(Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ZERO);
    /** A route's timeouts when it sets none: all its pool's. */
    public static final TimeoutsConfig INHERIT = new TimeoutsConfig(null, null, null, null);

    /** These timeouts where set, {@code fallback}'s elsewhere. */
    public TimeoutsConfig orElse(TimeoutsConfig fallback) {
        if (equals(INHERIT)) {
            return fallback; // most routes: shares the pool's instance
        }
        return new TimeoutsConfig(
                connect != null ? connect : fallback.connect,
                response != null ? response : fallback.response,
                idle != null ? idle : fallback.idle,
                request != null ? request : fallback.request);
    }

    public boolean hasRequestLimit() {
        return request != null && !request.isZero();
    }
}
