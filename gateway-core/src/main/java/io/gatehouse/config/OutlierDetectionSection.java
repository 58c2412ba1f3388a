package io.gatehouse.config;

import java.time.Duration;
import java.util.List;

/** Binds {@code pools.NAME.outlier_detection}. */
final class OutlierDetectionSection {
    private static final List<String> KEYS =
            List.of("consecutive_failures", "base_ejection_time", "max_ejection_time", "max_ejected");

    private OutlierDetectionSection() {}

    /** The ejection settings, or null when {@code outlier_detection} is absent (or not a map, after reporting). */
    static OutlierDetectionConfig bind(Node detection) {
        if (!detection.isPresent() || !detection.expectMap(KEYS)) {
            return null;
        }
        int consecutiveFailures = detection.get("consecutive_failures").integerAtLeast(5, 1);
        Duration base = detection.get("base_ejection_time").duration(Duration.ofSeconds(30), false);
        Duration max = detection.get("max_ejection_time").duration(Duration.ofSeconds(300), false);
        if (max.compareTo(base) < 0) {
            detection.error("max_ejection_time " + Durations.format(max) + " is shorter than base_ejection_time "
                    + Durations.format(base) + " (expected base_ejection_time <= max_ejection_time)");
        }
        return new OutlierDetectionConfig(consecutiveFailures, base, max,
                detection.get("max_ejected").percent(50, 1, 100));
    }
}
