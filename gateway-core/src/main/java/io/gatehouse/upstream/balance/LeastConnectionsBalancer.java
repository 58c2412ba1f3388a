package io.gatehouse.upstream.balance;

import io.gatehouse.upstream.Backend;

import java.util.List;

/**
 * Picks the backend with the fewest in-flight requests per unit of weight. The scan starts at a rotating
 * index so that tied backends (e.g. all idle) share load instead of the first one taking everything.
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
        int n = backends.length;
        int first = start.next();
        Backend best = backends[first];
        // Each in-flight count is read once: other event loops change it concurrently.
        long bestInFlight = best.inFlight();
        for (int i = 1; i < n; i++) {
            Backend candidate = backends[(first + i) % n];
            long inFlight = candidate.inFlight();
            // inFlight / weight < bestInFlight / bestWeight, without division
            if (inFlight * best.weight() < bestInFlight * candidate.weight()) {
                best = candidate;
                bestInFlight = inFlight;
            }
        }
        return best;
    }
}
