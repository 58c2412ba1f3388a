package io.gatehouse.metrics;

import io.gatehouse.resilience.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The meters of a route's own breaker: its state and its transitions by the state entered. */
final class RouteBreakerMeters {
    private RouteBreakerMeters() {}

    /** A listener counting each transition; every series exists (at 0) from the start. */
    static CircuitBreaker.Listener transitions(MeterRegistry registry, String routeId) {
        Counter[] byState = new Counter[CircuitBreaker.State.values().length];
        for (CircuitBreaker.State to : CircuitBreaker.State.values()) {
            byState[to.ordinal()] = Counter.builder(GatewayMetrics.ROUTE_BREAKER_TRANSITIONS).tag("route", routeId)
                    .tag("to", to.label()).description("Route circuit breaker transitions, by the state entered")
                    .register(registry);
        }
        return (breaker, from, to) -> byState[to.ordinal()].increment();
    }

    static void registerState(MeterRegistry registry, String routeId, CircuitBreaker breaker) {
        Gauge.builder(GatewayMetrics.ROUTE_BREAKER_STATE, breaker, b -> b.state().gaugeValue()).tag("route", routeId)
                .description("A route's own circuit breaker: 0 closed, 1 open, 2 half-open").register(registry);
    }
}
