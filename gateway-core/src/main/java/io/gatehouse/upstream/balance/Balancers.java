package io.gatehouse.upstream.balance;

import io.gatehouse.config.PoolConfig;
import io.gatehouse.upstream.Backend;

import java.util.List;

/**
 * Builds the balancer for a pool's strategy. Only {@code weighted_round_robin} and
 * {@code least_connections} honour backend weights; {@code round_robin} and {@code random} treat all
 * backends alike. With equal weights {@code weighted_round_robin} cycles exactly like {@code round_robin}.
 */
public final class Balancers {
    private Balancers() {
    }

    /** @param healthySnapshot the pool's current healthy backends: non-empty, not modified afterwards */
    public static Balancer create(PoolConfig.Strategy strategy, List<Backend> healthySnapshot) {
        if (healthySnapshot.isEmpty()) {
            throw new IllegalArgumentException("a balancer needs at least one backend");
        }
        return switch (strategy) {
            case ROUND_ROBIN -> new RoundRobinBalancer(healthySnapshot);
            case RANDOM -> new RandomBalancer(healthySnapshot);
            case LEAST_CONNECTIONS -> new LeastConnectionsBalancer(healthySnapshot);
            case WEIGHTED_ROUND_ROBIN -> new SmoothWeightedRoundRobinBalancer(healthySnapshot);
        };
    }
}
