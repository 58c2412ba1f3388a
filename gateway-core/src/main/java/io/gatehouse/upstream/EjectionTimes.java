package io.gatehouse.upstream;

import java.time.Duration;

/**
 * How long each backend of a pool stays out when it is ejected: the n-th ejection lasts n times the base time,
 * capped, where n drops by one for each base time the backend stayed in since it last returned, so a backend that
 * recovered for good is forgiven. Confined to the pool's health executor.
 */
final class EjectionTimes {
    private final long baseNanos;
    private final long maxNanos;
    private final int[] ejections;
    private final long[] returnedAt;

    EjectionTimes(Duration base, Duration max, int backends) {
        this.baseNanos = base.toNanos();
        this.maxNanos = max.toNanos();
        this.ejections = new int[backends];
        this.returnedAt = new long[backends];
    }

    /** Counts a new ejection of backend {@code index} at {@code now} and returns its length in nanoseconds. */
    long eject(int index, long now) {
        if (ejections[index] > 0) {
            ejections[index] = (int) Math.max(0, ejections[index] - (now - returnedAt[index]) / baseNanos);
        }
        ejections[index]++;
        return ejections[index] >= maxNanos / baseNanos ? maxNanos : baseNanos * ejections[index]; // no overflow
    }

    /** Backend {@code index} returned to balancing at {@code now}. */
    void returned(int index, long now) {
        returnedAt[index] = now;
    }
}
