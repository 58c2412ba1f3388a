package io.gatehouse.pool;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open upstream connections to one backend across all event loops, for the pool-connection gauges: in use (active)
 * or idle; an HTTP/2 connection is active while it carries a stream. Also the HTTP/2 streams in flight.
 */
public final class ConnectionCounts {
    /** A backend's before its first connection; never handed to a pool, so it stays at zero. */
    static final ConnectionCounts NONE = new ConnectionCounts();

    final AtomicInteger active = new AtomicInteger();
    final AtomicInteger idle = new AtomicInteger();
    final AtomicInteger streams = new AtomicInteger();

    public int active() {
        return active.get();
    }

    public int idle() {
        return idle.get();
    }

    /** HTTP/2 streams open to the backend; always 0 for an HTTP/1.1 pool. */
    public int streams() {
        return streams.get();
    }
}
