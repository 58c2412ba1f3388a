package io.gatehouse.upstream;

import io.gatehouse.config.BackendProtection;
import io.gatehouse.config.HealthCheckConfig;
import io.gatehouse.config.PoolConfig;
import io.gatehouse.resilience.CircuitBreaker;
import io.gatehouse.upstream.balance.Balancer;
import io.gatehouse.upstream.balance.Balancers;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A named set of backends with a balancer over those in balancing: healthy (active checks), not ejected (outlier
 * detection, or for refusing connections) and not behind an open circuit breaker. Requests read an immutable snapshot through one volatile
 * field; the snapshot is rebuilt only on the pool's {@link #healthExecutor()}, so there is a single writer and no
 * lock. Breakers change state on the event loops and then ask that executor for a rebuild.
 */
public final class UpstreamPool {
    private static final Logger log = LoggerFactory.getLogger(UpstreamPool.class);

    private final PoolConfig config;
    private final List<Backend> backends;
    private final EventExecutor healthExecutor;
    private final PoolEvents events;
    private final OutlierDetector outlierDetector;
    private final ConnectFailureEjector connectFailureEjector;
    private final int[] consecutiveSuccesses;
    private final int[] consecutiveFailures;
    private volatile Snapshot snapshot;

    /** The backends in balancing and their balancer; {@code balancer} is null when there are none. */
    private record Snapshot(Backend[] members, Balancer balancer) {}

    public UpstreamPool(PoolConfig config, EventExecutor healthExecutor, PoolEvents events) {
        this(config, healthExecutor, events, System::nanoTime);
    }

    /** @param nanoClock what the breakers and ejections read time from; tests drive it */
    UpstreamPool(PoolConfig config, EventExecutor healthExecutor, PoolEvents events, LongSupplier nanoClock) {
        this.config = config;
        this.healthExecutor = healthExecutor;
        this.events = events;
        BackendProtection protection = config.protection();
        int maxInFlight = protection.maxConcurrentRequests() == null
                ? Integer.MAX_VALUE : protection.maxConcurrentRequests();
        List<Backend> list = new ArrayList<>();
        for (int i = 0; i < config.backends().size(); i++) {
            int index = i; // the breaker's listener names its backend, which exists once the loop is done
            CircuitBreaker breaker = protection.circuitBreaker() == null ? null
                    : new CircuitBreaker(protection.circuitBreaker(), nanoClock,
                            (b, from, to) -> breakerTransitioned(list.get(index), from, to));
            list.add(new Backend(config.backends().get(i), i, maxInFlight, breaker));
        }
        this.backends = List.copyOf(list);
        this.outlierDetector = protection.outlierDetection() == null ? null
                : new OutlierDetector(protection.outlierDetection(), this, nanoClock);
        this.connectFailureEjector = config.ejectsOnConnectFailure()
                ? new ConnectFailureEjector(protection.connectFailureEjection(), this, nanoClock) : null;
        this.consecutiveSuccesses = new int[backends.size()];
        this.consecutiveFailures = new int[backends.size()];
        this.snapshot = new Snapshot(backends.toArray(Backend[]::new), Balancers.create(config.strategy(), backends));
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

    /** Counts one active probe result against the pool's thresholds. Runs on {@link #healthExecutor()}. */
    public void recordProbe(Backend backend, boolean success, String detail) {
        assert healthExecutor.inEventLoop();
        HealthCheckConfig check = config.healthCheck();
        int i = backend.index();
        if (success) {
            consecutiveFailures[i] = 0;
            consecutiveSuccesses[i]++;
            if (!backend.isHealthy() && consecutiveSuccesses[i] >= check.healthyThreshold()) {
                changeHealth(backend, true, consecutiveSuccesses[i] + " consecutive successful health checks");
            }
        } else {
            consecutiveSuccesses[i] = 0;
            consecutiveFailures[i]++;
            if (backend.isHealthy() && consecutiveFailures[i] >= check.unhealthyThreshold()) {
                changeHealth(backend, false, consecutiveFailures[i] + " consecutive failed health checks, last: " + detail);
            }
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
                consecutiveSuccesses[backend.index()] = 0;
                changeHealth(backend, false, "connect failed: " + cause);
            }
        });
    }

    private void changeHealth(Backend backend, boolean healthy, String reason) {
        backend.setHealthy(healthy);
        rebuild();
        log.info("pool {}: backend {} is now {} ({}); {}/{} in balancing", name(), backend, healthy ? "UP" : "DOWN",
                reason, snapshot.members.length, backends.size());
    }

    /** Outlier detection's switch; runs on {@link #healthExecutor()}. */
    void setOutlierEjected(Backend backend, boolean ejected) {
        backend.setOutlierEjected(ejected);
        rebuild();
    }

    /**
     * The connect-failure ejector's switch; runs on {@link #healthExecutor()}.
     *
     * @return how many backends are now in balancing, 0 when every one left refuses connections
     */
    int setConnectEjected(Backend backend, boolean ejected) {
        backend.setConnectEjected(ejected);
        return rebuild();
    }

    private void breakerTransitioned(Backend backend, CircuitBreaker.State from, CircuitBreaker.State to) {
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
        List<Backend> members = backends.stream().filter(Backend::isInBalancing).toList();
        List<Backend> balanced = members.isEmpty()
                ? backends.stream().filter(Backend::isInBalancingWhenAllRefuse).toList() : members;
        snapshot = new Snapshot(balanced.toArray(Backend[]::new),
                balanced.isEmpty() ? null : Balancers.create(config.strategy(), balanced));
        return members.size();
    }
}
