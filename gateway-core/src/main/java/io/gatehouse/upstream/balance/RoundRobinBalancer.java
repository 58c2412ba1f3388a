package io.gatehouse.upstream.balance;

import io.gatehouse.upstream.Backend;

import java.util.List;

/** Cycles through the backends in snapshot order, ignoring their weights. */
final class RoundRobinBalancer implements Balancer {
    private final Backend[] backends;
    private final RotatingIndex index;

    RoundRobinBalancer(List<Backend> backends) {
        this(backends, 0);
    }

    /** {@code start} lets tests begin the cycle near counter overflow. */
    RoundRobinBalancer(List<Backend> backends, long start) {
        this.backends = backends.toArray(Backend[]::new);
        this.index = new RotatingIndex(this.backends.length, start);
    }

    @Override
    public Backend pick() {
        return backends[index.next()];
    }

    @Override
    public Backend pickUntried(List<Backend> tried) {
        return UntriedPicks.uniform(backends, tried);
    }
}
