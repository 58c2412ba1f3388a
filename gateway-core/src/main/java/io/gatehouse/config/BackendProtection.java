package io.gatehouse.config;

/**
 * What a pool does to keep one backend from being overwhelmed, and to stop sending to a failing one.
 *
 * @param maxConcurrentRequests  requests one backend may have in flight across the gateway; {@code null} for no bound
 * @param circuitBreaker         {@code null} when the pool has no circuit breakers
 * @param outlierDetection       {@code null} when the pool does not eject failing backends
 * @param connectFailureEjection {@code null} when a failed connect does not eject its backend for a while (turned
 *                               off, or the pool's health checks decide instead)
 */
public record BackendProtection(Integer maxConcurrentRequests, CircuitBreakerConfig circuitBreaker,
                                OutlierDetectionConfig outlierDetection,
                                ConnectFailureEjectionConfig connectFailureEjection) {
    public static final BackendProtection NONE = new BackendProtection(null, null, null, null);
}
