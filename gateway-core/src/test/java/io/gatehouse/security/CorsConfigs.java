package io.gatehouse.security;

import io.gatehouse.config.CorsConfig;

import java.time.Duration;
import java.util.List;

/** Configurations for the CORS tests. */
final class CorsConfigs {
    private CorsConfigs() {}

    /**
     * One exact origin and a wildcard, two methods beyond the safelisted ones, two request headers, one exposed
     * header, credentials, ten minutes of preflight caching.
     */
    static CorsConfig withCredentials() {
        return new CorsConfig(List.of("https://app.example.com", "https://*.example.com", "http://localhost:3000"),
                List.of("PUT", "DELETE"), List.of("Content-Type", "X-Request-Id"), List.of("X-Trace-Id"), true,
                Duration.ofMinutes(10));
    }

    /** The given origins, the other lists empty, no credentials, no caching. */
    static CorsConfig origins(String... origins) {
        return new CorsConfig(List.of(origins), List.of(), List.of(), List.of(), false, Duration.ZERO);
    }

    /** {@code *} for origins and request headers, no credentials. */
    static CorsConfig anything() {
        return new CorsConfig(List.of("*"), List.of("PUT"), List.of("*"), List.of("X-Trace-Id"), false, Duration.ZERO);
    }
}
