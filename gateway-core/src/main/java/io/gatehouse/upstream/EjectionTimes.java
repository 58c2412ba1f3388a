package io.gatehouse.upstream;

import java.time.Duration;

/**
 * How long one backend stays out when it is ejected: the n-th ejection lasts n times the base time, capped, where n
 * drops by one for each base time the backend stayed in since it last returned, so a backend that recovered for good
 * is forgiven. Belongs to its backend, so it survives a reload that keeps the backend; confined to the pool's health
 * executor.
 */
final class EjectionTimes {
    private final long baseNanos;
    private final long maxNanos;
    private int ejections;
    private long returnedAt;

    EjectionTimes(Duration base, Duration max) {
        this.baseNanos = base.toNanos();
        this.maxNanos = max.toNanos();
    }

    /** Counts a new ejection at {@code now} and returns its length in nanoseconds. */
    long eject(long now) {
        if (ejections > 0) {
            ejections = (int) Math.max(0, ejections - (now - returnedAt) / baseNanos);
        }
        ejections++;
        return ejections >= maxNanos / baseNanos ? maxNanos : baseNanos * ejections; // no overflow
    }

    /** The backend returned to balancing at {@code now}. */
    void returned(long now) {
        returnedAt = now;
    }
}
