package io.gatehouse.pool;

import java.util.concurrent.atomic.AtomicInteger;

/** Open upstream connections to one backend across all event loops, for the pool-connection gauges. */
public final class ConnectionCounts {
    /** A backend's before its first connection; never handed to a pool, so it stays at zero. */
    static final ConnectionCounts NONE = new ConnectionCounts();

    final AtomicInteger active = new AtomicInteger();
    final AtomicInteger idle = new AtomicInteger();

    public int active() {
        return active.get();
    }

    public int idle() {
        return idle.get();
    }
}
