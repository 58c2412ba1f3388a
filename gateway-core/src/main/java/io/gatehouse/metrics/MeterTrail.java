package io.gatehouse.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.List;

/**
 * The meters one thread adds to the registry while it compiles a configuration ({@link GatewayMetrics#trail}), so
 * that a compile that fails can {@linkplain #discard take them back}: a refused configuration leaves no zero-valued
 * series behind. Meters that existed before, and those other threads add meanwhile (a request's first count of a
 * status class), are not on the trail.
 */
public final class MeterTrail implements AutoCloseable {
    private final Thread owner = Thread.currentThread();
    private final MeterRegistry registry;
    private final Runnable onClose;
    /** Written by the owner thread only (the registry calls its listeners on the registering thread). */
    private final List<Meter> added = new ArrayList<>();

    MeterTrail(MeterRegistry registry, Runnable onClose) {
        this.registry = registry;
        this.onClose = onClose;
    }

    void added(Meter meter) {
        if (Thread.currentThread() == owner) {
            added.add(meter);
        }
    }

    /** Removes every meter the trail recorded. */
    public void discard() {
        added.forEach(registry::remove);
        added.clear();
    }

    /** Stops recording; what was recorded stays registered unless discarded first. */
    @Override
    public void close() {
        onClose.run();
    }
}
