package io.gatehouse.metrics;

import io.gatehouse.config.ApiKeysConfig;
import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.config.PoolConfig;
import io.gatehouse.config.RateLimitConfig;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What a reload removed, by the labels its meters carry, so that their series leave {@code /metrics} with it
 * ({@link GatewayMetrics#forget}): route ids, pool names, backend addresses by pool (of pools that stay), rate-limit
 * policy and quota ids, API key consumer ids.
 */
public record StaleSeries(Set<String> routes, Set<String> pools, Map<String, Set<String>> backends,
                          Set<String> policies, Set<String> consumers) {
    public StaleSeries {
        routes = Set.copyOf(routes);
        routes = routes.contains(GatewayMetrics.NO_ROUTE) ? withoutNoRoute(routes) : routes;
        pools = Set.copyOf(pools);
        backends = Map.copyOf(backends);
        policies = Set.copyOf(policies);
        consumers = Set.copyOf(consumers);
    }

    /**
     * What {@code before} has and {@code after} does not, by name. Both are effective configurations (discovered
     * members among the backends). A route, pool, backend or policy that stays keeps its series and their values.
     *
     * @param removedRoutes the ids of the routes {@code before} has and {@code after} does not (the caller finds
     *                      them in its route maps anyway)
     */
    public static StaleSeries between(GatewayConfig before, GatewayConfig after, Set<String> removedRoutes) {
        Map<String, Set<String>> backends = new HashMap<>();
        before.pools().forEach((name, pool) -> {
            PoolConfig kept = after.pools().get(name);
            if (kept != null && kept != pool) {
                Set<String> gone = removed(pool.backends(), kept.backends(), BackendConfig::address);
                if (!gone.isEmpty()) {
                    backends.put(name, gone);
                }
            }
        });
        return new StaleSeries(removedRoutes,
                removed(before.pools().keySet(), after.pools().keySet(), Function.identity()), backends,
                removed(policies(before.rateLimit()), policies(after.rateLimit()), RateLimitConfig.Policy::id),
                removed(keys(before.auth().apiKeys()), keys(after.auth().apiKeys()), ApiKeysConfig.ApiKey::id));
    }

    private static <T> Set<String> removed(Collection<T> before, Collection<T> after, Function<T, String> name) {
        Set<String> gone = new HashSet<>();
        before.forEach(item -> gone.add(name.apply(item)));
        after.forEach(item -> gone.remove(name.apply(item)));
        return gone;
    }

    private static Collection<RateLimitConfig.Policy> policies(RateLimitConfig rateLimit) {
        Collection<RateLimitConfig.Policy> all = new ArrayList<>(rateLimit.policies());
        all.addAll(rateLimit.quotas());
        return all;
    }

    private static Collection<ApiKeysConfig.ApiKey> keys(ApiKeysConfig apiKeys) {
        return apiKeys == null ? Set.of() : apiKeys.keys();
    }

    /** The meters of requests that matched no route are the gateway's own, whatever a route was called. */
    private static Set<String> withoutNoRoute(Set<String> routes) {
        return Set.copyOf(routes.stream().filter(id -> !GatewayMetrics.NO_ROUTE.equals(id)).toList());
    }
}
