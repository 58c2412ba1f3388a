package io.gatehouse.resilience;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Counts events, some of them marked (failures, retries), over a rolling time window split into buckets. Shared by
 * every event loop without locks: a bucket that has aged out is reset by whichever thread reaches it first, and an
 * increment racing with that reset may be lost. Breakers and budgets tolerate that; they need the rate, not an audit.
 */
public final class RollingTally {
    private static final int FIELDS = 3; // per bucket: its epoch (window index), events, marked events
    private final int buckets;
    private final long bucketNanos;
    private final LongSupplier nanoClock;
    private final AtomicLongArray slots;

    public RollingTally(Duration window, int buckets, LongSupplier nanoClock) {
        this.buckets = buckets;
        this.bucketNanos = Math.max(1, window.toNanos() / buckets);
        this.nanoClock = nanoClock;
        this.slots = new AtomicLongArray(buckets * FIELDS);
        for (int i = 0; i < buckets; i++) {
            slots.set(i * FIELDS, Long.MIN_VALUE); // no epoch yet: empty
        }
    }

    /** Counts one event, marked or not. */
    public void record(boolean marked) {
        long epoch = Math.floorDiv(nanoClock.getAsLong(), bucketNanos);
        int base = (int) Math.floorMod(epoch, (long) buckets) * FIELDS;
        long seen = slots.get(base);
        if (seen != epoch && slots.compareAndSet(base, seen, epoch)) {
            slots.set(base + 1, 0);
            slots.set(base + 2, 0);
        }
        slots.incrementAndGet(base + 1);
        if (marked) {
            slots.incrementAndGet(base + 2);
        }
    }

    /** Events and marked events within the window. */
    public Totals totals() {
        long now = Math.floorDiv(nanoClock.getAsLong(), bucketNanos);
        long events = 0;
        long marked = 0;
        for (int i = 0; i < buckets; i++) {
            long epoch = slots.get(i * FIELDS);
            if (epoch != Long.MIN_VALUE && now - epoch < buckets) {
                events += slots.get(i * FIELDS + 1);
                marked += slots.get(i * FIELDS + 2);
            }
        }
        return new Totals(events, marked);
    }

    public record Totals(long events, long marked) {}
}
