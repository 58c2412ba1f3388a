package io.gatehouse.server;

import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.DiscoveryConfig;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.config.PoolConfig;
import io.gatehouse.discovery.Discovery;
import io.gatehouse.discovery.DiscoveryContext;
import io.gatehouse.discovery.DiscoveryFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running {@link Discovery} of each pool that has {@code discovery}, and the members each last reported. A
 * pool's effective backends are its static ones plus its discovered members (the first of an address wins). A
 * reload that changes a pool's discovery settings replaces its discovery; the pool keeps the members it had until
 * the new one reports, so that it is never left empty meanwhile. Members reported by a discovery ask for a reinstall
 * ({@code changed}), which then reads them through {@link #effective}. Prepared and committed by one installing
 * thread at a time; discoveries report on their own threads.
 */
final class PoolDiscoveries implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PoolDiscoveries.class);

    private final DiscoveryFactory factory;
    private final DiscoveryContext context;
    private final Runnable changed;
    /** Written by the installing thread, read by the discoveries' threads. */
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    /** The last members reported for each pool, by pool name; written by the discoveries' threads. */
    private final Map<String, List<BackendConfig>> members = new ConcurrentHashMap<>();

    /** @param changed asks for the configuration in force to be installed again with the members now known */
    PoolDiscoveries(DiscoveryFactory factory, DiscoveryContext context, Runnable changed) {
        this.factory = factory;
        this.context = context;
        this.changed = changed;
    }

    /** The pools whose discovery has reported at least once (a snapshot built after this call holds them). */
    Set<String> reportedPools() {
        return Set.copyOf(members.keySet());
    }

    /** {@code config} with each discovering pool's members added to its backends. */
    GatewayConfig effective(GatewayConfig config) {
        Map<String, PoolConfig> pools = new LinkedHashMap<>();
        for (PoolConfig pool : config.pools().values()) {
            List<BackendConfig> found = pool.discovery() == null ? List.of() : members.getOrDefault(pool.name(), List.of());
            pools.put(pool.name(), found.isEmpty() ? pool : withMembers(pool, found));
        }
        return config.withPools(pools);
    }

    private static PoolConfig withMembers(PoolConfig pool, List<BackendConfig> found) {
        List<BackendConfig> backends = new ArrayList<>(pool.backends());
        Set<String> addresses = new HashSet<>();
        backends.forEach(backend -> addresses.add(backend.address()));
        for (BackendConfig member : found) {
            if (addresses.add(member.address())) {
                backends.add(member);
            }
        }
        return pool.withBackends(backends);
    }

    /**
     * Builds, without starting them, the discoveries {@code next} needs that are not running with the same settings.
     *
     * @throws ConfigException naming the pool when one cannot be built; then none is kept
     */
    Map<String, Discovery> prepare(GatewayConfig next) {
        Map<String, Discovery> created = new LinkedHashMap<>();
        for (PoolConfig pool : next.pools().values()) {
            Running current = running.get(pool.name());
            if (pool.discovery() == null || (current != null && current.config.equals(pool.discovery()))) {
                continue;
            }
            try {
                created.put(pool.name(), factory.create(pool.discovery(), context));
            } catch (RuntimeException e) {
                created.values().forEach(Discovery::close);
                throw new ConfigException("pools." + pool.name() + ".discovery: " + e.getMessage());
            }
        }
        return created;
    }

    /**
     * Once {@code next} is in force: stops the discoveries of pools it removed or changed, forgets the members of
     * pools that no longer discover, and starts {@code prepared}.
     */
    void commit(GatewayConfig next, Map<String, Discovery> prepared) {
        for (String pool : List.copyOf(running.keySet())) {
            PoolConfig config = next.pools().get(pool);
            if (config == null || config.discovery() == null || prepared.containsKey(pool)) {
                running.remove(pool).discovery.close();
                if (config == null || config.discovery() == null) {
                    members.remove(pool);
                }
            }
        }
        prepared.forEach((pool, discovery) -> {
            Running started = new Running(next.pools().get(pool).discovery(), discovery);
            running.put(pool, started);
            discovery.start(found -> reported(pool, started, found));
        });
    }

    private void reported(String pool, Running from, List<BackendConfig> found) {
        if (running.get(pool) != from) {
            return; // a discovery replaced or stopped meanwhile
        }
        if (!found.equals(members.put(pool, List.copyOf(found)))) {
            log.info("pool {}: discovery reports {} members", pool, found.size());
            changed.run();
        }
    }

    /** Stops every discovery (shutdown). */
    @Override
    public void close() {
        running.values().forEach(r -> r.discovery.close());
        running.clear();
    }

    private record Running(DiscoveryConfig config, Discovery discovery) {}
}
