package io.gatehouse.upstream.balance;

import java.util.concurrent.atomic.AtomicLong;

/** A lock-free cursor cycling through {@code 0..size-1}, shared by every event loop. */
final class RotatingIndex {
    private final AtomicLong counter;
    private final int size;

    RotatingIndex(int size, long start) {
        this.size = size;
        this.counter = new AtomicLong(start);
    }

    /**
     * A long counter does not wrap in practice (2^63 picks), so the cycle stays exact where an int
     * counter would skip at 2^31; floorMod still keeps the index in range if it ever wrapped.
     */
    int next() {
        return Math.floorMod(counter.getAndIncrement(), size);
    }
}
