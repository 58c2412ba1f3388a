package io.gatehouse.config;

import java.util.List;
import java.util.Map;

/**
 * The whole validated configuration. Immutable; built only by {@link ConfigLoader}.
 *
 * @param pools every pool by name, in config order, including the pools of one that routes with a direct
 *              {@code upstream} get (named {@link RouteConfig#directPoolName(String)})
 * @param cors  the global {@code cors:}, or {@code null} when CORS is off
 * @param admin {@code admin:}, or {@code null} when the admin API is off
 * @param tracing {@code tracing:}, {@link TracingConfig#OFF} when absent
 * @param metrics {@code metrics:}, {@link MetricsConfig#ON} when absent
 */
public record GatewayConfig(ServerConfig server, Map<String, PoolConfig> pools, List<RouteConfig> routes,
                            AuthConfig auth, CorsConfig cors, IpRules ipRules, SecurityHeadersConfig securityHeaders,
                            RateLimitConfig rateLimit, AdminConfig admin, TracingConfig tracing,
                            MetricsConfig metrics) {
    public GatewayConfig {
        pools = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(pools));
        routes = List.copyOf(routes);
    }

    /** This configuration with {@code pools} instead of its own. */
    public GatewayConfig withPools(Map<String, PoolConfig> pools) {
        return new GatewayConfig(server, pools, routes, auth, cors, ipRules, securityHeaders, rateLimit, admin, tracing,
                metrics);
    }
}
