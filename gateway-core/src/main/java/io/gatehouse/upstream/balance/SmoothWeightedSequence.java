package io.gatehouse.upstream.balance;

import io.gatehouse.upstream.Backend;

import java.util.List;

/**
 * Precomputes one full period of nginx's smooth weighted round robin: on each step every backend's current
 * weight grows by its weight, the largest current wins (the first one on ties) and loses the total weight.
 * After {@code sum(weights)} steps every current is back to zero, so the period repeats exactly.
 *
 * <p>Weights are first divided by their GCD, which yields the same order with a shorter period. If the
 * period would still exceed {@value #MAX_LENGTH} picks (only pools of more than 100 backends with mixed
 * weights can get there), the weights are scaled down proportionally, at least 1 each, so the period
 * stays about {@value #MAX_LENGTH} long and the ratios become approximate.
 */
final class SmoothWeightedSequence {
    static final int MAX_LENGTH = 100_000;

    private SmoothWeightedSequence() {
    }

    static Backend[] of(List<Backend> backends) {
        int[] weights = normalizedWeights(backends);
        int total = 0;
        for (int weight : weights) {
            total += weight;
        }
        int[] current = new int[weights.length];
        Backend[] sequence = new Backend[total];
        for (int step = 0; step < total; step++) {
            int best = 0;
            for (int i = 0; i < weights.length; i++) {
                current[i] += weights[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            sequence[step] = backends.get(best);
        }
        return sequence;
    }

    private static int[] normalizedWeights(List<Backend> backends) {
        int gcd = 0;
        for (Backend backend : backends) {
            gcd = gcd(gcd, backend.weight());
        }
        int[] weights = new int[backends.size()];
        long total = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = backends.get(i).weight() / gcd;
            total += weights[i];
        }
        if (total > MAX_LENGTH) {
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (int) Math.max(1, weights[i] * (long) MAX_LENGTH / total);
            }
        }
        return weights;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
