package io.gatehouse.upstream.balance;

import io.gatehouse.upstream.Backend;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Picks a backend uniformly at random, ignoring weights. */
final class RandomBalancer implements Balancer {
    private final Backend[] backends;

    RandomBalancer(List<Backend> backends) {
        this.backends = backends.toArray(Backend[]::new);
    }

    @Override
    public Backend pick() {
        return backends[ThreadLocalRandom.current().nextInt(backends.length)];
    }

    @Override
    public Backend pickUntried(List<Backend> tried) {
        return UntriedPicks.uniform(backends, tried);
    }
}
