package io.gatehouse.pool;

import io.gatehouse.upstream.Backend;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoop;

/**
 * Lends exchange slots to one backend on one event loop: {@link BackendConnectionPool} for HTTP/1.1,
 * {@link Http2ConnectionPool} for h2 and h2c. Only that loop touches it.
 */
public abstract sealed class SlotPool permits BackendConnectionPool, Http2ConnectionPool {
    final EventLoop loop;
    final Backend backend;
    /** The pool's own copy of the template, on its loop. */
    final Bootstrap bootstrap;
    final int maxConnections;
    final int maxPendingAcquires;
    final long keepaliveTimeoutMillis;
    final ConnectionCounts counts;

    SlotPool(EventLoop loop, Backend backend, Bootstrap template, int maxConnections, int maxPendingAcquires,
             long keepaliveTimeoutMillis, ConnectionCounts counts) {
        this.loop = loop;
        this.backend = backend;
        this.bootstrap = template.clone(loop);
        this.maxConnections = maxConnections;
        this.maxPendingAcquires = maxPendingAcquires;
        this.keepaliveTimeoutMillis = keepaliveTimeoutMillis;
        this.counts = counts;
    }

    public final Backend backend() {
        return backend;
    }

    /**
     * Lends a slot, now or later, through exactly one call on {@code listener}: a free one (unless {@code fresh},
     * which asks for a new connection), else a place in the bounded wait queue, else an immediate
     * {@link PoolExhaustedException}.
     */
    public abstract void acquire(AcquireListener listener, boolean fresh);

    /** Withdraws a listener still waiting for a slot (its request timed out or its client left). */
    public abstract void cancel(AcquireListener listener);

    /**
     * Closes the idle connections and every connection as soon as nothing uses it any more: the backend left the
     * configuration and no request holds it. Runs on this pool's loop.
     */
    abstract void retire();
}
