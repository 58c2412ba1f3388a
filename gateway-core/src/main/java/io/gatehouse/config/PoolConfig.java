package io.gatehouse.config;

import java.time.Duration;
import java.util.List;

/**
 * One upstream pool ({@code pools.NAME}).
 *
 * @param maxConnections     per backend, per gateway (split evenly across event loops, at least 1 each)
 * @param maxPendingAcquires requests allowed to wait for a connection, per backend, per event loop
 * @param keepaliveTimeout   pooled idle connections are closed after this; keep it below the backends'
 *                           own keep-alive timeout so the gateway, not the backend, closes them
 * @param timeouts           complete: the pool's own values or the defaults
 * @param healthCheck        {@code null} when the pool has no active health check
 * @param protection         per-backend bulkhead, circuit breakers and outlier ejection
 * @param discovery          where members come from besides {@code backends} (which may then be empty), or
 *                           {@code null}
 * @param tls                how to connect to its backends, all {@code https://}; {@code null} when they are all
 *                           plain {@code http://}
 * @param protocol           HTTP/1.1, or HTTP/2 over TLS ({@code h2}, https backends) or cleartext ({@code h2c})
 */
public record PoolConfig(String name, Strategy strategy, List<BackendConfig> backends, int maxConnections,
                         int maxPendingAcquires, Duration keepaliveTimeout, TimeoutsConfig timeouts,
                         HealthCheckConfig healthCheck, BackendProtection protection,
                         DiscoveryConfig discovery, UpstreamTlsConfig tls, UpstreamProtocol protocol) {
    public PoolConfig {
        backends = List.copyOf(backends);
    }

    /** This pool with {@code backends} instead of its own (discovered members, a diff of settings only). */
    public PoolConfig withBackends(List<BackendConfig> backends) {
        return new PoolConfig(name, strategy, backends, maxConnections, maxPendingAcquires, keepaliveTimeout, timeouts,
                healthCheck, protection, discovery, tls, protocol);
    }

    /**
     * Whether a failed connect takes its backend out of balancing for a while: configured (the default for a pool
     * without health checks), and the pool has another backend to send to.
     */
    public boolean ejectsOnConnectFailure() {
        return protection.connectFailureEjection() != null && (backends.size() > 1 || discovery != null);
    }

    /** Load-balancing strategies; the YAML names are the lower-case ones. */
    public enum Strategy {
        ROUND_ROBIN, LEAST_CONNECTIONS, RANDOM, WEIGHTED_ROUND_ROBIN;

        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
