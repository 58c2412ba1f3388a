package io.gatehouse.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code cors:} (global, or a route's replacement of it).
 *
 * @param allowedOrigins   exact origins such as {@code https://app.example.com}, wildcard subdomains such as
 *                         {@code https://*.example.com}, or the single entry {@code *} (not with credentials)
 * @param allowedMethods   methods a preflight may ask for
 * @param allowedHeaders   request headers a preflight may ask for (case-insensitive); {@code *} allows any
 * @param exposedHeaders   response headers the browser may show to scripts
 * @param allowCredentials send {@code Access-Control-Allow-Credentials: true}
 * @param maxAge           how long browsers may cache a preflight answer; zero sends none
 */
public record CorsConfig(List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders,
                         List<String> exposedHeaders, boolean allowCredentials, Duration maxAge) {
    public CorsConfig {
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedMethods = List.copyOf(allowedMethods);
        allowedHeaders = List.copyOf(allowedHeaders);
        exposedHeaders = List.copyOf(exposedHeaders);
    }
}
