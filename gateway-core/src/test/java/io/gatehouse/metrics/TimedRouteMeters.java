package io.gatehouse.metrics;

import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * A route's meters with the latency timer exposed, so that a test can time requests with latencies it chooses
 * instead of waiting for them. The timer is registered first, so the route's meters take it rather than their own.
 *
 * @param latency the route's request duration timer, with buckets at 1, 5, 250 and 500 ms and 1 s
 */
public record TimedRouteMeters(RouteMeters meters, Timer latency) {
    public static TimedRouteMeters of(String routeId) {
        GatewayMetrics metrics = new GatewayMetrics();
        Timer.builder(GatewayMetrics.REQUEST_DURATION).tag("route", routeId)
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1))
                .register(metrics.registry());
        RouteMeters meters = metrics.forRoute(routeId);
        return new TimedRouteMeters(meters, meters.latency());
    }
}
