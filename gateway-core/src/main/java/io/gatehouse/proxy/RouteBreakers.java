package io.gatehouse.proxy;

import io.gatehouse.config.RouteConfig;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.resilience.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Builds a route's own circuit breaker ({@code routes[i].circuit_breaker}): it judges the route's requests by their
 * final outcome, after any retries, so one failing endpoint can be cut off without taking its backends, which
 * serve other routes well, out of balancing. It half-opens when a request arrives after {@code open_for}.
 */
final class RouteBreakers {
    private static final Logger log = LoggerFactory.getLogger(RouteBreakers.class);

    private RouteBreakers() {}

    /**
     * The route's breaker with its transition counters and log lines, or {@code null} when the route has none. Its
     * state gauge is registered once the snapshot holding it is live ({@link GatewayMetrics#registerRouteBreaker}).
     */
    static CircuitBreaker create(RouteConfig route, GatewayMetrics metrics, LongSupplier nanoClock) {
        if (route.circuitBreaker() == null) {
            return null;
        }
        CircuitBreaker.Listener counted = metrics.routeBreakerTransitions(route.id());
        CircuitBreaker breaker = new CircuitBreaker(route.circuitBreaker(), nanoClock, (b, from, to) -> {
            counted.transitioned(b, from, to);
            if (to == CircuitBreaker.State.OPEN) {
                log.warn("route {}: circuit breaker opened; probes again in {} ms", route.id(),
                        route.circuitBreaker().openFor().toMillis());
            } else {
                log.info("route {}: circuit breaker is {}", route.id(), to.label());
            }
        });
        return breaker;
    }

    /**
     * Registers the state gauge of each breaker of {@code next} that {@code previous} (null at startup) did not
     * have, replacing the gauge of a breaker it replaced, and unregisters the gauge and transition counters of a
     * route that no longer has one.
     */
    static void publishGauges(GatewaySnapshot previous, GatewaySnapshot next, GatewayMetrics metrics) {
        Map<String, RouteHandle> before = previous == null ? Map.of() : previous.routes();
        Set<String> replaced = new HashSet<>();
        Set<String> dropped = new HashSet<>();
        before.forEach((id, handle) -> {
            CircuitBreaker old = handle.target().breaker();
            RouteHandle now = old == null ? null : next.routes().get(id); // most routes have none: no lookup
            if (now != null && now.target().breaker() == null) {
                dropped.add(id); // the route has no breaker any more (a removed route's series go with it)
            } else if (now != null && now.target().breaker() != old) {
                replaced.add(id); // a new breaker: the same transition counters, a gauge of its own
            }
        });
        metrics.forgetRouteBreakers(replaced, dropped);
        next.routes().forEach((id, handle) -> {
            CircuitBreaker breaker = handle.target().breaker();
            RouteHandle then = breaker == null ? null : before.get(id);
            if (breaker != null && (then == null || then.target().breaker() != breaker)) {
                metrics.registerRouteBreaker(id, breaker);
            }
        });
    }
}
