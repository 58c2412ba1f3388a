package io.gatehouse.upstream.balance;

import io.gatehouse.upstream.Backend;

import java.util.List;

/**
 * nginx's smooth weighted round robin. The period is precomputed once per snapshot and then only indexed,
 * which keeps {@link #pick()} lock-free while the order stays exact across concurrent event loops.
 */
final class SmoothWeightedRoundRobinBalancer implements Balancer {
    private final Backend[] sequence;
    private final RotatingIndex index;

    SmoothWeightedRoundRobinBalancer(List<Backend> backends) {
        this.sequence = SmoothWeightedSequence.of(backends);
        this.index = new RotatingIndex(sequence.length, 0);
    }

    @Override
    public Backend pick() {
        return sequence[index.next()];
    }
}
