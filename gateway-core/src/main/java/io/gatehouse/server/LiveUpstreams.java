package io.gatehouse.server;

import io.gatehouse.config.GatewayConfig;
import io.gatehouse.config.PoolConfig;
import io.gatehouse.health.HealthChecker;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.pool.ConnectionPools;
import io.gatehouse.upstream.Backend;
import io.gatehouse.upstream.UpstreamPool;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The upstream pools of a running gateway across reloads. {@link #plan} builds the pools of a new configuration
 * without changing anything live: an unchanged pool is the same object, a changed one a
 * {@linkplain UpstreamPool#successor successor} that keeps its unchanged backends, a new one starts fresh. Once the
 * snapshot holding them is published, {@link #commit} makes them live: health checks follow the pools, gauges follow
 * the backends, and each backend no pool holds any more is drained (its in-flight requests finish), then retired
 * (its connections close). Used by one installing thread at a time.
 */
final class LiveUpstreams {
    private static final Logger log = LoggerFactory.getLogger(LiveUpstreams.class);
    /** How often a removed backend is checked for requests still in flight. */
    private static final long DRAIN_CHECK_MILLIS = 50;

    private final EventLoopGroup group;
    private final GatewayMetrics metrics;
    private final ConnectionPools connectionPools;
    private final Bootstrap probeTemplate;
    private final LongSupplier nanoClock;
    private final Map<UpstreamPool, HealthChecker> healthCheckers = new IdentityHashMap<>();

    LiveUpstreams(EventLoopGroup group, GatewayMetrics metrics, ConnectionPools connectionPools,
                  Bootstrap probeTemplate, LongSupplier nanoClock) {
        this.group = group;
        this.metrics = metrics;
        this.connectionPools = connectionPools;
        this.probeTemplate = probeTemplate;
        this.nanoClock = nanoClock;
    }

    /**
     * The pools of {@code next}, built from {@code current}. At startup every backend starts in balancing; a pool or
     * backend a reload adds waits for its first healthy probe if its pool has health checks. Nothing live changes
     * until {@link #commit}.
     */
    Map<String, UpstreamPool> plan(GatewayConfig next, Map<String, UpstreamPool> current, boolean startup) {
        Map<String, UpstreamPool> pools = new LinkedHashMap<>();
        for (PoolConfig config : next.pools().values()) {
            UpstreamPool before = current.get(config.name());
            UpstreamPool pool;
            if (before != null && before.config().equals(config)) {
                pool = before;
            } else if (before != null) {
                pool = before.successor(config, metrics.backends().events(config));
            } else if (startup) {
                pool = new UpstreamPool(config, group.next(), metrics.backends().events(config), nanoClock);
            } else {
                pool = UpstreamPool.added(config, group.next(), metrics.backends().events(config), nanoClock);
            }
            pools.put(config.name(), pool);
        }
        return pools;
    }

    /** Makes the pools of a just-published snapshot live; {@code previous} are those of the snapshot before it. */
    void commit(Map<String, UpstreamPool> previous, Map<String, UpstreamPool> next) {
        Set<UpstreamPool> kept = identitySet();
        kept.addAll(next.values());
        Set<Backend> live = identitySet();
        next.values().forEach(pool -> live.addAll(pool.backends()));
        Map<String, Set<String>> gone = new HashMap<>();
        for (UpstreamPool pool : previous.values()) {
            if (kept.contains(pool)) {
                continue;
            }
            HealthChecker checker = healthCheckers.remove(pool);
            if (checker != null) {
                checker.stop();
            }
            for (Backend backend : pool.backends()) {
                if (!live.contains(backend)) {
                    gone.computeIfAbsent(pool.name(), name -> new HashSet<>()).add(backend.address());
                    drain(pool.healthExecutor(), pool.name(), backend);
                }
            }
        }
        if (!gone.isEmpty()) { // one line, not one per backend: a generated config may replace thousands
            log.info("{} backends removed from {} pools; each one's connections close once its requests finish",
                    gone.values().stream().mapToInt(Set::size).sum(), gone.size());
        }
        metrics.backends().show(next.values(), connectionPools::peekCounts);
        metrics.backends().forget(gone); // before a replacement registers its own gauges
        Set<UpstreamPool> before = identitySet();
        before.addAll(previous.values());
        for (UpstreamPool pool : next.values()) {
            if (before.contains(pool)) {
                continue;
            }
            pool.activate();
            metrics.backends().registerProtection(pool);
            if (pool.config().healthCheck() != null) {
                HealthChecker checker = new HealthChecker(pool, probeTemplate);
                healthCheckers.put(pool, checker);
                checker.start();
            }
        }
    }

    /** Stops every health check (shutdown). */
    void stop() {
        healthCheckers.values().forEach(HealthChecker::stop);
        healthCheckers.clear();
    }

    /** Retires {@code backend} once no request holds it, checking again every {@link #DRAIN_CHECK_MILLIS}. */
    private void drain(EventExecutor executor, String pool, Backend backend) {
        executor.execute(() -> {
            if (backend.inFlight() == 0 && backend.retire()) {
                connectionPools.retire(backend);
                log.debug("pool {}: backend {} removed; its connections are closed", pool, backend);
            } else if (!executor.isShuttingDown()) {
                executor.schedule(() -> drain(executor, pool, backend), DRAIN_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            }
        });
    }

    private static <T> Set<T> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }
}
