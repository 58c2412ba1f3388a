package io.gatehouse.config;

import java.time.Duration;
import java.util.List;

/** Binds {@code pools.NAME.circuit_breaker} (one breaker per backend) and {@code routes[i].circuit_breaker}. */
final class CircuitBreakerSection {
    private static final List<String> KEYS = List.of("failure_rate", "minimum_calls", "window",
            "consecutive_failures", "open_for", "half_open_probes");

    private CircuitBreakerSection() {}

    /** The breaker settings, or null when {@code circuit_breaker} is absent (or not a map, after reporting). */
    static CircuitBreakerConfig bind(Node breaker) {
        if (!breaker.isPresent() || !breaker.expectMap(KEYS)) {
            return null;
        }
        CircuitBreakerConfig config = new CircuitBreakerConfig(
                breaker.get("failure_rate").percent(50, 0, 100),
                breaker.get("minimum_calls").integerAtLeast(20, 1),
                breaker.get("window").duration(Duration.ofSeconds(10), false),
                breaker.get("consecutive_failures").integerAtLeast(5, 0),
                breaker.get("open_for").duration(Duration.ofSeconds(30), false),
                breaker.get("half_open_probes").integerAtLeast(3, 1));
        // A breaker with both triggers off would never open: surely a mistake, not a way to turn it off.
        if (config.failureRatePercent() == 0 && config.consecutiveFailures() == 0) {
            breaker.error("failure_rate and consecutive_failures are both 0"
                    + " (expected at least one of failure_rate, consecutive_failures above 0)");
        }
        return config;
    }
}
