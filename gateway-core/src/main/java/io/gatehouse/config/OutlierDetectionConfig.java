package io.gatehouse.config;

import java.time.Duration;

/**
 * A pool's {@code outlier_detection:} (passive health): a backend whose responses fail {@code consecutiveFailures}
 * times in a row (5xx, connect failure, reset or timeout) leaves balancing for a while and then returns by itself.
 *
 * @param baseEjectionTime  the first ejection's length; the n-th ejection lasts n times this
 * @param maxEjectionTime   the cap of an ejection's length
 * @param maxEjectedPercent at most this share of the pool's backends is ejected at once (one always may be)
 */
public record OutlierDetectionConfig(int consecutiveFailures, Duration baseEjectionTime, Duration maxEjectionTime,
                                     int maxEjectedPercent) {}
