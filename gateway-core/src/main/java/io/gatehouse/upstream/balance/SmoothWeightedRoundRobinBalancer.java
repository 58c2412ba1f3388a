package io.gatehouse.upstream.balance;

import io.gatehouse.upstream.Backend;

import java.util.List;

/**
 * nginx's smooth weighted round robin. The period is precomputed once per snapshot and then only indexed,
 * which keeps {@link #pick()} lock-free while the order stays exact across concurrent event loops.
 */
final class SmoothWeightedRoundRobinBalancer implements Balancer {
    private final Backend[] backends;
    private final Backend[] sequence;
    private final RotatingIndex index;

    SmoothWeightedRoundRobinBalancer(List<Backend> backends) {
        this.backends = backends.toArray(Backend[]::new);
        this.sequence = SmoothWeightedSequence.of(backends);
        this.index = new RotatingIndex(sequence.length, 0);
    }

    @Override
    public Backend pick() {
        return sequence[index.next()];
    }

    /** By weight, as the sequence would over a period, but at random: the sequence's position is shared. */
    @Override
    public Backend pickUntried(List<Backend> tried) {
        return UntriedPicks.weighted(backends, tried);
    }
}
