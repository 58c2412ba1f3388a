package io.gatehouse.metrics;

import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.BackendProtection;
import io.gatehouse.config.PoolConfig;
import io.gatehouse.resilience.CircuitBreaker;
import io.gatehouse.upstream.Backend;
import io.gatehouse.upstream.EjectionReason;
import io.gatehouse.upstream.PoolEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.HashMap;
import java.util.Map;

/**
 * The breaker transition and ejection counters of one pool's backends ({@link GatewayMetrics#poolEvents}), resolved
 * once per backend and by state or reason, so that counting an event looks nothing up by name.
 */
final class PoolEventCounters implements PoolEvents {
    /** Of a pool without breakers that ejects nothing (most pools): it has no event to count. */
    private static final PoolEvents NONE = new PoolEvents() {
        @Override
        public void breakerTransitioned(Backend backend, CircuitBreaker.State to) {}

        @Override
        public void ejected(Backend backend, EjectionReason reason) {}
    };

    /** By backend address, then by the state entered; absent for a pool without breakers. */
    private final Map<String, Counter[]> transitions = new HashMap<>();
    /** By backend address, then by reason; null where the pool does not eject for that reason. */
    private final Map<String, Counter[]> ejections = new HashMap<>();

    private PoolEventCounters() {}

    /** The counters of {@code pool}'s backends, or a shared instance without any when it has nothing to count. */
    static PoolEvents register(MeterRegistry registry, PoolConfig pool) {
        PoolEventCounters counters = new PoolEventCounters();
        BackendProtection protection = pool.protection();
        if (protection.circuitBreaker() == null && protection.outlierDetection() == null
                && !pool.ejectsOnConnectFailure()) {
            return NONE;
        }
        for (BackendConfig backend : pool.backends()) {
            if (protection.circuitBreaker() != null) {
                Counter[] byState = new Counter[CircuitBreaker.State.values().length];
                for (CircuitBreaker.State to : CircuitBreaker.State.values()) {
                    byState[to.ordinal()] = Counter.builder(GatewayMetrics.BREAKER_TRANSITIONS)
                            .tag("pool", pool.name()).tag("backend", backend.address()).tag("to", to.label())
                            .description("Circuit breaker transitions, by the state entered").register(registry);
                }
                counters.transitions.put(backend.address(), byState);
            }
            Counter[] byReason = new Counter[EjectionReason.values().length];
            for (EjectionReason reason : EjectionReason.values()) {
                boolean ejects = switch (reason) {
                    case CONSECUTIVE_FAILURES -> protection.outlierDetection() != null;
                    case CONNECT_FAILURE -> pool.ejectsOnConnectFailure();
                };
                if (ejects) {
                    byReason[reason.ordinal()] = Counter.builder(GatewayMetrics.OUTLIER_EJECTIONS)
                            .tag("pool", pool.name()).tag("backend", backend.address()).tag("reason", reason.label())
                            .description("Backends ejected from balancing, by reason").register(registry);
                }
            }
            counters.ejections.put(backend.address(), byReason);
        }
        return counters;
    }

    @Override
    public void breakerTransitioned(Backend backend, CircuitBreaker.State to) {
        transitions.get(backend.address())[to.ordinal()].increment();
    }

    @Override
    public void ejected(Backend backend, EjectionReason reason) {
        ejections.get(backend.address())[reason.ordinal()].increment();
    }
}
