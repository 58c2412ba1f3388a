package io.gatehouse.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;

/**
 * A route's meters on a Prometheus registry of the test's own, with the latency timer exposed, so that a test can
 * time requests with latencies it chooses instead of waiting for them.
 *
 * @param latency the route's request duration timer, with buckets at 1, 5, 250 and 500 ms and 1 s
 */
public record TimedRouteMeters(RouteMeters meters, Timer latency) {
    public static TimedRouteMeters of(String routeId) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Timer latency = Timer.builder(GatewayMetrics.REQUEST_DURATION).tag("route", routeId)
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1))
                .register(registry);
        Counter aborted = Counter.builder(GatewayMetrics.RESPONSES_ABORTED).tag("route", routeId).register(registry);
        return new TimedRouteMeters(new RouteMeters(registry, new TraceExemplars(), routeId, latency, aborted), latency);
    }
}
