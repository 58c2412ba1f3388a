package io.gatehouse.upstream.balance;

import io.gatehouse.upstream.Backend;

import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks the backend with the fewest in-flight requests per unit of weight. The scan starts at a rotating
 * index so that tied backends (e.g. all idle) share load instead of the first one taking everything; a retry
 * breaks ties at random instead, leaving the rotation to first attempts.
 */
final class LeastConnectionsBalancer implements Balancer {
    private final Backend[] backends;
    private final RotatingIndex start;

    LeastConnectionsBalancer(List<Backend> backends) {
        this.backends = backends.toArray(Backend[]::new);
        this.start = new RotatingIndex(this.backends.length, 0);
    }

    @Override
    public Backend pick() {
        return leastLoaded(start.next(), List.of(), null);
    }

    @Override
    public Backend pickUntried(List<Backend> tried) {
        return leastLoaded(0, tried, ThreadLocalRandom.current());
    }

    /**
     * The least loaded backend not in {@code excluded}, or null if all are. Ties go to the first in scan order, or
     * with {@code random}, to any of them alike (reservoir sampling): a rotating start alone would favour the
     * backend after an excluded one.
     */
    private Backend leastLoaded(int first, List<Backend> excluded, Random random) {
        int n = backends.length;
        Backend best = null;
        long bestInFlight = 0;
        int ties = 0;
        for (int i = 0; i < n; i++) {
            Backend candidate = backends[(first + i) % n];
            if (excluded.contains(candidate)) {
                continue;
            }
            // Each in-flight count is read once: other event loops change it concurrently.
            long inFlight = candidate.inFlight();
            // The sign of inFlight / weight - bestInFlight / bestWeight, without division
            long difference = best == null ? 0 : inFlight * best.weight() - bestInFlight * candidate.weight();
            if (best == null || difference < 0) {
                best = candidate;
                bestInFlight = inFlight;
                ties = 1;
            } else if (difference == 0 && random != null && random.nextInt(++ties) == 0) {
                best = candidate;
                bestInFlight = inFlight;
            }
        }
        return best;
    }
}
