package io.gatehouse.config;

import java.util.List;

/** Binds {@code metrics:}; absent means {@link MetricsConfig#ON}. */
final class MetricsSection {
    private static final List<String> KEYS = List.of("enabled");

    private MetricsSection() {}

    static MetricsConfig bind(Node metrics) {
        if (!metrics.isPresent() || !metrics.expectMap(KEYS)) {
            return MetricsConfig.ON;
        }
        return new MetricsConfig(metrics.get("enabled").bool(true));
    }
}
