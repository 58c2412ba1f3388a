package io.gatehouse.upstream;

import io.gatehouse.config.HealthCheckConfig;
import io.gatehouse.config.PoolConfig;
import io.gatehouse.upstream.balance.Balancer;
import io.gatehouse.upstream.balance.Balancers;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * A named set of backends with a balancer over the healthy ones. Requests read an immutable snapshot through
 * one volatile field; health changes happen only on the pool's {@link #healthExecutor()}, which rebuilds the
 * snapshot, so there is a single writer and no lock.
 */
public final class UpstreamPool {
    private static final Logger log = LoggerFactory.getLogger(UpstreamPool.class);

    private final PoolConfig config;
    private final List<Backend> backends;
    private final EventExecutor healthExecutor;
    private final int[] consecutiveSuccesses;
    private final int[] consecutiveFailures;
    private volatile Balancer healthyBalancer;

    public UpstreamPool(PoolConfig config, EventExecutor healthExecutor) {
        this.config = config;
        this.healthExecutor = healthExecutor;
        List<Backend> list = new ArrayList<>();
        config.backends().forEach(b -> list.add(new Backend(b)));
        this.backends = List.copyOf(list);
        this.consecutiveSuccesses = new int[backends.size()];
        this.consecutiveFailures = new int[backends.size()];
        this.healthyBalancer = Balancers.create(config.strategy(), backends);
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

    /** The executor every health change of this pool runs on. */
    public EventExecutor healthExecutor() {
        return healthExecutor;
    }

    /** A healthy backend chosen by the pool's strategy, or {@code null} when none is healthy. */
    public Backend pick() {
        Balancer balancer = healthyBalancer;
        return balancer == null ? null : balancer.pick();
    }

    /** A healthy backend other than {@code excluded} (for a second try), or {@code null} when there is none. */
    public Backend pickOtherThan(Backend excluded) {
        for (int i = 0; i < backends.size(); i++) {
            Backend candidate = pick();
            if (candidate != null && candidate != excluded) {
                return candidate;
            }
        }
        return null;
    }

    /** Counts one active probe result against the pool's thresholds. Runs on {@link #healthExecutor()}. */
    public void recordProbe(Backend backend, boolean success, String detail) {
        assert healthExecutor.inEventLoop();
        HealthCheckConfig check = config.healthCheck();
        int i = backends.indexOf(backend);
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
     * once and the checks bring it back; without them it stays in, since nothing else could restore it.
     */
    public void reportConnectFailure(Backend backend, Throwable cause) {
        if (config.healthCheck() == null) {
            return;
        }
        healthExecutor.execute(() -> {
            if (backend.isHealthy()) {
                int i = backends.indexOf(backend);
                consecutiveSuccesses[i] = 0;
                changeHealth(backend, false, "connect failed: " + cause);
            }
        });
    }

    private void changeHealth(Backend backend, boolean healthy, String reason) {
        backend.setHealthy(healthy);
        List<Backend> healthyNow = backends.stream().filter(Backend::isHealthy).toList();
        healthyBalancer = healthyNow.isEmpty() ? null : Balancers.create(config.strategy(), healthyNow);
        log.info("pool {}: backend {} is now {} ({}); {}/{} healthy", name(), backend, healthy ? "UP" : "DOWN",
                reason, healthyNow.size(), backends.size());
    }
}
