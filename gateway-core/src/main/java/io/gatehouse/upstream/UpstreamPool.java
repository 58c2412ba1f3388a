package io.gatehouse.upstream;

import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.BackendProtection;
import io.gatehouse.config.HealthCheckConfig;
import io.gatehouse.config.PoolConfig;
import io.gatehouse.resilience.CircuitBreaker;
import io.gatehouse.upstream.balance.Balancer;
import io.gatehouse.upstream.balance.Balancers;
import io.gatehouse.upstream.tls.UpstreamTls;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A named set of backends with a balancer over those in balancing: healthy (active checks), not ejected (outlier
 * detection, or for refusing connections) and not behind an open circuit breaker. Requests read an immutable
 * snapshot through one volatile field; the snapshot is rebuilt only on the pool's {@link #healthExecutor()}, so there
 * is a single writer and no lock. Breakers change state on the event loops and then ask that executor for a rebuild.
 *
 * <p>A pool's settings and members are fixed. A reload that changes them builds a {@linkplain #successor successor}
 * that keeps every backend whose address and settings are unchanged (the same {@link Backend} object, with its
 * connections, health, breaker, ejections and in-flight count) and shares this pool's health executor; once the
 * successor is {@linkplain #activate() activated}, state changes of those backends rebuild its snapshot, not this
 * one's. Requests that hold this pool (through an older gateway snapshot) still use it until they finish.
 */
public final class UpstreamPool {
    private static final Logger log = LoggerFactory.getLogger(UpstreamPool.class);

    private final PoolConfig config;
    /** Shared by its https backends and health checks; null for a plain pool. */
    private final UpstreamTls tls;
    private final List<Backend> backends;
    private final EventExecutor healthExecutor;
    private final PoolEvents events;
    private final LongSupplier nanoClock;
    private final OutlierDetector outlierDetector;
    private final ConnectFailureEjector connectFailureEjector;
    private volatile Snapshot snapshot;

    /** The backends in balancing and their balancer; {@code balancer} is null when there are none. */
    private record Snapshot(Backend[] members, Balancer balancer) {}

    /**
     * A pool of new backends, all in balancing until their checks say otherwise; live at once.
     *
     * @param nanoClock what the breakers and ejections read time from; tests drive it
     */
    public UpstreamPool(PoolConfig config, EventExecutor healthExecutor, PoolEvents events, LongSupplier nanoClock) {
        this(config, healthExecutor, events, nanoClock, tlsOf(config), true);
        activate();
    }

    /**
     * A pool a reload added, not yet live: with health checks, its backends enter balancing only after their first
     * healthy probe.
     */
    public static UpstreamPool added(PoolConfig config, EventExecutor healthExecutor, PoolEvents events,
                                     LongSupplier nanoClock) {
        return new UpstreamPool(config, healthExecutor, events, nanoClock, tlsOf(config), config.healthCheck() == null);
    }

    /** A pool of new backends, each healthy or awaiting its first probe. */
    private UpstreamPool(PoolConfig config, EventExecutor healthExecutor, PoolEvents events, LongSupplier nanoClock,
                         UpstreamTls tls, boolean healthy) {
        this(config, healthExecutor, events, nanoClock, tls, newBackends(config, nanoClock, tls, healthy));
    }

    private UpstreamPool(PoolConfig config, EventExecutor healthExecutor, PoolEvents events, LongSupplier nanoClock,
                         UpstreamTls tls, List<Backend> backends) {
        this.config = config;
        this.tls = tls;
        this.healthExecutor = healthExecutor;
        this.events = events;
        this.nanoClock = nanoClock;
        this.backends = List.copyOf(backends);
        BackendProtection protection = config.protection();
        this.outlierDetector = protection.outlierDetection() == null ? null
                : new OutlierDetector(protection.outlierDetection(), this, nanoClock);
        this.connectFailureEjector = config.ejectsOnConnectFailure()
                ? new ConnectFailureEjector(this, nanoClock) : null;
        this.snapshot = snapshotOf(balanced(this.backends));
    }

    /**
     * The pool for {@code next} (same name, other settings or members), not yet live. It keeps each backend of this
     * pool whose {@link BackendConfig} is unchanged when the per-backend settings ({@code protection}: bulkhead,
     * breaker, ejections; and {@code tls}) are too; any other backend of {@code next} is new. A new backend with the
     * address of one of this pool's (its weight, the pool's protection or TLS settings changed) takes over that one's
     * health; a backend new to the pool enters balancing only after its first healthy probe when the pool has health
     * checks.
     */
    public UpstreamPool successor(PoolConfig next, PoolEvents nextEvents) {
        // Connections made under other TLS settings (another CA, client certificate, server_name) or speaking
        // another protocol must not serve the new pool: its backends are then new objects with new connection
        // pools, and the old ones drain.
        boolean sameTls = Objects.equals(next.tls(), config.tls()) && next.protocol() == config.protocol();
        UpstreamTls nextTls = sameTls ? tls : tlsOf(next);
        boolean sameBackendSettings = next.protection().equals(config.protection()) && sameTls;
        Map<String, Backend> current = new HashMap<>();
        for (Backend backend : backends) {
            current.put(backend.address(), backend);
        }
        List<Backend> kept = new ArrayList<>();
        for (BackendConfig backendConfig : next.backends()) {
            Backend same = current.get(backendConfig.address());
            if (same != null && sameBackendSettings && same.config().equals(backendConfig)) {
                kept.add(same);
                continue;
            }
            Backend fresh = newBackend(next, backendConfig, nanoClock,
                    same != null ? same.isHealthy() : next.healthCheck() == null, nextTls);
            fresh.setDrained(same != null && same.isDrained()); // an operator's drain outlives a weight change
            kept.add(fresh);
        }
        return new UpstreamPool(next, healthExecutor, nextEvents, nanoClock, nextTls, kept);
    }

    /**
     * Makes this pool the one its backends' state changes rebuild, then rebuilds it once on the health executor so
     * that a change made while it was being built is not missed. Called when the gateway snapshot holding it is
     * published.
     */
    public void activate() {
        for (Backend backend : backends) {
            backend.adopt(this);
        }
        healthExecutor.execute(this::rebuild);
    }

    private static List<Backend> newBackends(PoolConfig config, LongSupplier nanoClock, UpstreamTls tls,
                                             boolean healthy) {
        List<Backend> list = new ArrayList<>();
        for (BackendConfig backendConfig : config.backends()) {
            list.add(newBackend(config, backendConfig, nanoClock, healthy, tls));
        }
        return list;
    }

    private static Backend newBackend(PoolConfig pool, BackendConfig backendConfig, LongSupplier nanoClock,
                                      boolean healthy, UpstreamTls tls) {
        return new Backend(backendConfig, pool.protection(), nanoClock, healthy, backendConfig.tls() ? tls : null,
                pool.protocol());
    }

    /** The TLS context of a pool with https backends, built once here (on the installing thread); else null. */
    private static UpstreamTls tlsOf(PoolConfig config) {
        return config.tls() == null ? null : UpstreamTls.create(config.name(), config.tls(), config.protocol());
    }

    public String name() {
        return config.name();
    }

    public PoolConfig config() {
        return config;
    }

    public List<Backend> backends() {
        return backends;
    }

    /** The executor every balancing change of this pool runs on. */
    public EventExecutor healthExecutor() {
        return healthExecutor;
    }

    PoolEvents events() {
        return events;
    }

    /**
     * Chooses a backend for one attempt and reserves it: the balancer's pick (for a retry, among the members not in
     * {@code tried}) when it has room, otherwise the first member in balancing with room, untried ones first.
     *
     * <p>Only a request's first attempt moves the balancer's shared position: were a retry to advance it too, the
     * retries after failures on one backend would shift the rotation so that the next requests' first attempts
     * land on that same backend again.
     */
    public Choice choose(List<Backend> tried) {
        Snapshot current = snapshot;
        if (current.balancer == null) {
            return unavailable();
        }
        Backend picked = tried.isEmpty() ? current.balancer.pick() : current.balancer.pickUntried(tried);
        if (picked != null) {
            long permit = picked.tryReserve();
            if (permit != CircuitBreaker.NO_PERMIT) {
                return new Choice.Chosen(picked, permit);
            }
        }
        boolean bulkheadFull = false;
        for (boolean triedOnes : new boolean[] {false, true}) { // untried backends first
            for (Backend candidate : current.members) {
                if (tried.contains(candidate) != triedOnes) {
                    continue;
                }
                long permit = candidate.tryReserve();
                if (permit != CircuitBreaker.NO_PERMIT) {
                    return new Choice.Chosen(candidate, permit);
                }
                bulkheadFull |= candidate.isAtBulkheadBound();
            }
        }
        return bulkheadFull ? new Choice.Unavailable(Choice.Reason.BULKHEAD_FULL, 0)
                : new Choice.Unavailable(Choice.Reason.CIRCUIT_OPEN, soonestHalfOpen());
    }

    /** The outcome of an attempt {@link #choose} reserved, for its backend's breaker and outlier detection. */
    public void judge(Choice.Chosen chosen, boolean failed) {
        Backend backend = chosen.backend();
        if (backend.breaker() != null) {
            backend.breaker().record(chosen.permit(), failed);
        }
        if (outlierDetector != null) {
            outlierDetector.record(backend, failed);
        }
    }

    /** Gives back the bulkhead place of a judged attempt. */
    public void release(Choice.Chosen chosen) {
        chosen.backend().requestFinished();
    }

    /** Gives back everything an attempt reserved that ended with no verdict (its client left, say). */
    public void abandon(Choice.Chosen chosen) {
        chosen.backend().requestFinished();
        if (chosen.backend().breaker() != null) {
            chosen.backend().breaker().cancel(chosen.permit());
        }
    }

    private Choice unavailable() {
        for (Backend backend : backends) {
            if (backend.isHealthy() && !backend.isOutlierEjected() && backend.breaker() != null
                    && backend.breaker().state() == CircuitBreaker.State.OPEN) {
                return new Choice.Unavailable(Choice.Reason.CIRCUIT_OPEN, soonestHalfOpen());
            }
        }
        return new Choice.Unavailable(Choice.Reason.NO_HEALTHY_BACKEND, 0);
    }

    private long soonestHalfOpen() {
        long soonest = Long.MAX_VALUE;
        for (Backend backend : backends) {
            if (backend.breaker() != null && backend.breaker().state() == CircuitBreaker.State.OPEN) {
                soonest = Math.min(soonest, backend.breaker().nanosUntilHalfOpen());
            }
        }
        return soonest == Long.MAX_VALUE ? 0 : soonest;
    }

    /**
     * Counts one active probe result against the pool's thresholds (a backend a reload added needs just one healthy
     * probe). Runs on {@link #healthExecutor()}.
     */
    public void recordProbe(Backend backend, boolean success, String detail) {
        assert healthExecutor.inEventLoop();
        HealthCheckConfig check = config.healthCheck();
        int streak = backend.countProbe(success);
        if (success && !backend.isHealthy() && streak >= check.healthyThreshold()) {
            changeHealth(backend, true, streak == Integer.MAX_VALUE ? "its first health check passed"
                    : streak + " consecutive successful health checks");
        } else if (!success && backend.isHealthy() && streak >= check.unhealthyThreshold()) {
            changeHealth(backend, false, streak + " consecutive failed health checks, last: " + detail);
        }
    }

    /**
     * A passive signal: connecting to the backend failed. With active health checks the backend is taken out at
     * once and the checks bring it back; without them it is ejected for a while ({@link ConnectFailureEjector}).
     */
    public void reportConnectFailure(Backend backend, Throwable cause) {
        if (config.healthCheck() == null) {
            if (connectFailureEjector != null) {
                connectFailureEjector.connectFailed(backend, cause);
            }
            return;
        }
        healthExecutor.execute(() -> {
            if (backend.isHealthy()) {
                backend.resetProbeSuccesses();
                changeHealth(backend, false, "connect failed: " + cause);
            }
        });
    }

    private void changeHealth(Backend backend, boolean healthy, String reason) {
        backend.setHealthy(healthy);
        UpstreamPool live = backend.owner();
        live.rebuild();
        log.info("pool {}: backend {} is now {} ({}); {}/{} in balancing", name(), backend, healthy ? "UP" : "DOWN",
                reason, live.snapshot.members.length, live.backends.size());
    }

    /**
     * Takes {@code backend} out of balancing ({@code drained}) or puts it back. Requests already sent to it finish;
     * no new one, first attempt or retry, is sent to it. The future completes once balancing follows the change.
     */
    public CompletableFuture<Void> setDrained(Backend backend, boolean drained) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        healthExecutor.execute(() -> {
            if (backend.isDrained() != drained) {
                backend.setDrained(drained);
                UpstreamPool live = backend.owner();
                live.rebuild();
                log.info("pool {}: backend {} {} by the admin API; {}/{} in balancing", name(), backend,
                        drained ? "drained" : "undrained", live.snapshot.members.length, live.backends.size());
            }
            done.complete(null);
        });
        return done;
    }

    /** Outlier detection's switch; runs on {@link #healthExecutor()}. */
    void setOutlierEjected(Backend backend, boolean ejected) {
        backend.setOutlierEjected(ejected);
        backend.owner().rebuild();
    }

    /**
     * The connect-failure ejector's switch; runs on {@link #healthExecutor()}.
     *
     * @return how many backends are now in balancing, 0 when every one left refuses connections
     */
    int setConnectEjected(Backend backend, boolean ejected) {
        backend.setConnectEjected(ejected);
        return backend.owner().rebuild();
    }

    /** Called by {@code backend}'s breaker, on the pool that owns the backend now. */
    void breakerTransitioned(Backend backend, CircuitBreaker.State from, CircuitBreaker.State to) {
        CircuitBreaker breaker = backend.breaker();
        events.breakerTransitioned(backend, to);
        if (to == CircuitBreaker.State.OPEN) {
            log.warn("pool {}: circuit breaker of backend {} opened; probes again in {} ms", name(), backend,
                    config.protection().circuitBreaker().openFor().toMillis());
            halfOpenWhenDue(breaker);
        } else {
            log.info("pool {}: circuit breaker of backend {} is {}", name(), backend, to.label());
        }
        if (from == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.OPEN) {
            healthExecutor.execute(this::rebuild);
        }
    }

    /** Timers may fire a little early; an open breaker is then checked again rather than left open for good. */
    private void halfOpenWhenDue(CircuitBreaker breaker) {
        long wait = breaker.nanosUntilHalfOpen();
        if (wait > 0) {
            healthExecutor.schedule(() -> halfOpenWhenDue(breaker), wait, TimeUnit.NANOSECONDS);
        } else {
            breaker.halfOpenIfDue();
        }
    }

    /**
     * Publishes a new snapshot of the backends in balancing. When none is, but some are out only for refusing
     * connections, those are balanced over: trying them costs a failed connect, answering 503 would cost the
     * request, and a backend that comes back is found by the next request instead of after its ejection.
     *
     * @return how many backends are in balancing, not counting that fallback
     */
    private int rebuild() {
        assert healthExecutor.inEventLoop();
        List<Backend> balanced = balanced(backends);
        // The same members keep their balancer, so that its rotation goes on where it was.
        if (!Arrays.equals(snapshot.members, balanced.toArray())) {
            snapshot = snapshotOf(balanced);
        }
        return (int) backends.stream().filter(Backend::isInBalancing).count();
    }

    private Snapshot snapshotOf(List<Backend> balanced) {
        return new Snapshot(balanced.toArray(Backend[]::new),
                balanced.isEmpty() ? null : Balancers.create(config.strategy(), balanced));
    }

    private static List<Backend> balanced(List<Backend> all) {
        List<Backend> members = all.stream().filter(Backend::isInBalancing).toList();
        return members.isEmpty() ? all.stream().filter(Backend::isInBalancingWhenAllRefuse).toList() : members;
    }
}
