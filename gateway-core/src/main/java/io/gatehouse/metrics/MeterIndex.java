package io.gatehouse.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry's meters by the labels a reload removes them by (route, pool, policy, consumer), kept up to date by
 * the registry's listeners, so that removing what a reload removed costs in proportion to what it removed, not to
 * every meter of every route (10,000 routes have hundreds of thousands). Meters are added from any thread (a
 * request's first count of a status class), hence the concurrent maps.
 */
final class MeterIndex {
    static final String ROUTE = "route";
    static final String POOL = "pool";
    static final String POLICY = "policy";
    static final String CONSUMER = "consumer";
    private static final String[] INDEXED = {ROUTE, POOL, POLICY, CONSUMER};

    /** By tag key, then tag value. */
    private final Map<String, Map<String, Set<Meter>>> byTag = new ConcurrentHashMap<>();

    MeterIndex(MeterRegistry registry) {
        for (String key : INDEXED) {
            byTag.put(key, new ConcurrentHashMap<>());
        }
        registry.config().onMeterAdded(this::added).onMeterRemoved(this::removed);
    }

    /** The meters whose tag {@code key} is {@code value}, a copy: the caller may remove them meanwhile. */
    Set<Meter> tagged(String key, String value) {
        Set<Meter> meters = byTag.get(key).get(value);
        return meters == null ? Set.of() : Set.copyOf(meters);
    }

    private void added(Meter meter) {
        for (String key : INDEXED) {
            String value = meter.getId().getTag(key);
            if (value != null) {
                byTag.get(key).compute(value, (v, meters) -> { // atomic with a removal emptying the set
                    Set<Meter> into = meters == null ? ConcurrentHashMap.newKeySet() : meters;
                    into.add(meter);
                    return into;
                });
            }
        }
    }

    private void removed(Meter meter) {
        for (String key : INDEXED) {
            String value = meter.getId().getTag(key);
            if (value != null) {
                byTag.get(key).computeIfPresent(value, (v, meters) -> {
                    meters.remove(meter);
                    return meters.isEmpty() ? null : meters;
                });
            }
        }
    }
}
