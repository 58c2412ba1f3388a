package io.gatehouse.metrics;

import io.gatehouse.config.PoolConfig;
import io.gatehouse.pool.ConnectionCounts;
import io.gatehouse.upstream.Backend;
import io.gatehouse.upstream.PoolEvents;
import io.gatehouse.upstream.UpstreamPool;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The meters of the pools' backends ({@link GatewayMetrics#backends}): health and connections of every live
 * backend, read at scrape time; breaker state, ejection and event counters where a pool has breakers or ejects.
 */
public final class BackendMeters {
    private final MeterRegistry registry;
    private final MeterIndex index;
    private final BackendGauges gauges;

    BackendMeters(MeterRegistry registry, MeterIndex index, BackendGauges gauges) {
        this.registry = registry;
        this.index = index;
        this.gauges = gauges;
    }

    /**
     * Makes {@code pools} the ones whose backends {@code gatehouse_backend_healthy} and
     * {@code gatehouse_pool_connections} report, with their connections from {@code counts}; a backend no longer in
     * them is gone from the next scrape.
     */
    public void show(Collection<UpstreamPool> pools, Function<Backend, ConnectionCounts> counts) {
        gauges.show(pools, counts);
    }

    /**
     * Registers the breaker and ejection gauges of every backend of {@code pool}, only when the pool has breakers,
     * or ejects backends (outlier detection, connect failures): most pools have neither and register nothing. A
     * backend whose gauges exist already (a reload kept it) keeps them.
     */
    public void registerProtection(UpstreamPool pool) {
        boolean ejects = pool.config().protection().outlierDetection() != null
                || pool.config().ejectsOnConnectFailure();
        for (Backend backend : pool.backends()) {
            if (backend.breaker() != null) {
                Gauge.builder(GatewayMetrics.BREAKER_STATE, backend.breaker(), b -> b.state().gaugeValue())
                        .tag("pool", pool.name()).tag("backend", backend.address())
                        .description("Circuit breaker state: 0 closed, 1 open, 2 half-open").register(registry);
            }
            if (ejects) {
                Gauge.builder(GatewayMetrics.BACKEND_EJECTED, backend, b -> b.isEjected() ? 1 : 0)
                        .tag("pool", pool.name()).tag("backend", backend.address())
                        .description("1 while an ejection (outlier detection, connect failures) keeps the backend"
                                + " out of balancing")
                        .register(registry);
            }
        }
    }

    /**
     * Unregisters the breaker and ejection gauges of the backends a reload removed or replaced, by address per
     * pool, so that none reports a backend object that is gone, and a replacement registers its own. Their counters
     * stay while the address stays in the pool; {@link GatewayMetrics#forget} removes them once it is gone.
     */
    public void forget(Map<String, Set<String>> addressesByPool) {
        addressesByPool.forEach((pool, addresses) -> {
            for (Meter meter : index.tagged(MeterIndex.POOL, pool)) {
                if (meter instanceof Gauge && addresses.contains(meter.getId().getTag("backend"))) {
                    registry.remove(meter);
                }
            }
        });
    }

    /**
     * Counts the breaker transitions and ejections of one pool's backends. The counters are registered here, once
     * per backend, so that every series exists (at 0) from the start.
     */
    public PoolEvents events(PoolConfig pool) {
        return PoolEventCounters.register(registry, pool);
    }
}
