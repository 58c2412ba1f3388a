package io.gatehouse.resilience;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code max} holders at once, across every event loop. Taking a place never waits: it succeeds or fails at
 * once, so nothing queues behind a bulkhead.
 */
public final class Bulkhead {
    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();

    /** @param max the bound; {@link Integer#MAX_VALUE} for none */
    public Bulkhead(int max) {
        this.max = max;
    }

    /** Takes a place, or returns false (taking nothing) when all are taken. */
    public boolean tryEnter() {
        int now;
        do {
            now = inFlight.get();
            if (now >= max) {
                return false;
            }
        } while (!inFlight.compareAndSet(now, now + 1));
        return true;
    }

    /** Gives back a place {@link #tryEnter} took. */
    public void leave() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public boolean isFull() {
        return inFlight.get() >= max;
    }
}
