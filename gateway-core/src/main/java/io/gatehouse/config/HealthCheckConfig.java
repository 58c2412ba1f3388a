package io.gatehouse.config;

import java.time.Duration;

/**
 * {@code pools.NAME.health_check}: an active HTTP probe.
 *
 * @param expectedStatusMin lowest status counted as healthy (inclusive)
 * @param expectedStatusMax highest status counted as healthy (inclusive); a single code when equal to min
 */
public record HealthCheckConfig(String path, Duration interval, Duration timeout, int healthyThreshold,
                                int unhealthyThreshold, int expectedStatusMin, int expectedStatusMax) {
    public boolean isExpected(int status) {
        return status >= expectedStatusMin && status <= expectedStatusMax;
    }
}
