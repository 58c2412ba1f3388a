package io.gatehouse.config;

import java.time.Duration;

/**
 * A pool's {@code connect_failure_ejection:} (passive health from connection attempts), used when the pool has no
 * active health check: a backend that cannot be connected to leaves balancing for a while and returns by itself.
 *
 * @param baseEjectionTime the first ejection's length; the n-th ejection lasts n times this
 * @param maxEjectionTime  the cap of an ejection's length
 */
public record ConnectFailureEjectionConfig(Duration baseEjectionTime, Duration maxEjectionTime) {
    public static final ConnectFailureEjectionConfig DEFAULTS =
            new ConnectFailureEjectionConfig(Duration.ofSeconds(1), Duration.ofSeconds(30));
}
