package io.gatehouse.proxy;

import io.gatehouse.config.RouteConfig;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.resilience.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a route's own circuit breaker ({@code routes[i].circuit_breaker}): it judges the route's requests by their
 * final outcome, after any retries, so one failing endpoint can be cut off without taking its backends, which
 * serve other routes well, out of balancing. It half-opens when a request arrives after {@code open_for}.
 */
final class RouteBreakers {
    private static final Logger log = LoggerFactory.getLogger(RouteBreakers.class);

    private RouteBreakers() {}

    /** The route's breaker with its metrics and log lines, or {@code null} when the route has none. */
    static CircuitBreaker create(RouteConfig route, GatewayMetrics metrics) {
        if (route.circuitBreaker() == null) {
            return null;
        }
        CircuitBreaker.Listener counted = metrics.routeBreakerTransitions(route.id());
        CircuitBreaker breaker = new CircuitBreaker(route.circuitBreaker(), System::nanoTime, (b, from, to) -> {
            counted.transitioned(b, from, to);
            if (to == CircuitBreaker.State.OPEN) {
                log.warn("route {}: circuit breaker opened; probes again in {} ms", route.id(),
                        route.circuitBreaker().openFor().toMillis());
            } else {
                log.info("route {}: circuit breaker is {}", route.id(), to.label());
            }
        });
        metrics.registerRouteBreaker(route.id(), breaker);
        return breaker;
    }
}
