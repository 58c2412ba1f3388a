package io.gatehouse.server;

import io.gatehouse.config.GatewayConfig;
import io.gatehouse.config.PoolConfig;
import io.gatehouse.lifecycle.StartupGate;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /readyz}'s {@code discovery} gate: open once every pool that discovers its members at startup serves the
 * members its discovery first reported (possibly none). Until then such a pool may have no backend at all, and a
 * load balancer that sent traffic would get 503s. Bounded like every gate by {@code server.ready_timeout}.
 */
final class FirstMembersGate implements StartupGate {
    private final Set<String> awaited = ConcurrentHashMap.newKeySet();

    FirstMembersGate(GatewayConfig config) {
        for (PoolConfig pool : config.pools().values()) {
            if (pool.discovery() != null) {
                awaited.add(pool.name());
            }
        }
    }

    @Override
    public String name() {
        return "discovery";
    }

    @Override
    public boolean isOpen() {
        return awaited.isEmpty();
    }

    /**
     * A snapshot is in force that holds the members of {@code reported} pools, built from {@code config}; a pool the
     * config no longer discovers is not waited for.
     */
    void inForce(Collection<String> reported, GatewayConfig config) {
        awaited.removeAll(reported);
        awaited.removeIf(pool -> config.pools().get(pool) == null || config.pools().get(pool).discovery() == null);
    }
}
