package io.gatehouse.config;

import java.time.Duration;
import java.util.List;

/** Binds {@code pools.NAME.connect_failure_ejection}. */
final class ConnectFailureEjectionSection {
    private static final List<String> KEYS = List.of("base_ejection_time", "max_ejection_time");

    private ConnectFailureEjectionSection() {}

    /**
     * The ejection settings: the defaults when the key is absent, null when {@code base_ejection_time: 0s} turns it
     * off or when the pool has a health check (whose probes then decide, so writing the key there is an error).
     */
    static ConnectFailureEjectionConfig bind(Node ejection, boolean healthChecked) {
        if (!ejection.isPresent()) {
            return healthChecked ? null : ConnectFailureEjectionConfig.DEFAULTS;
        }
        if (healthChecked) {
            ejection.error("not used with health_check (expected one or the other: with health checks a connect"
                    + " failure marks the backend down until its checks pass)");
            return null;
        }
        if (!ejection.expectMap(KEYS)) {
            return ConnectFailureEjectionConfig.DEFAULTS;
        }
        ConnectFailureEjectionConfig defaults = ConnectFailureEjectionConfig.DEFAULTS;
        Duration base = ejection.get("base_ejection_time").duration(defaults.baseEjectionTime(), true);
        Duration max = ejection.get("max_ejection_time").duration(defaults.maxEjectionTime(), false);
        if (base.isZero()) {
            return null;
        }
        if (max.compareTo(base) < 0) {
            ejection.error("max_ejection_time " + Durations.format(max) + " is shorter than base_ejection_time "
                    + Durations.format(base) + " (expected base_ejection_time <= max_ejection_time)");
        }
        return new ConnectFailureEjectionConfig(base, max);
    }
}
