package io.gatehouse.metrics;

import io.micrometer.core.instrument.Timer;

import java.util.function.Supplier;

/**
 * A pool's upstream latency histogram ({@link GatewayMetrics#upstreamTimer}), registered with the pool's first
 * response rather than with the pool: a pool that never served a request costs no series. Once a reload removes the
 * pool it is {@linkplain #retire retired}, so that a request of it still in flight brings no series back.
 */
public final class UpstreamTimer {
    private final Supplier<Timer> registration;
    private volatile Timer timer;
    /** Guarded by this. */
    private boolean retired;

    UpstreamTimer(Supplier<Timer> registration) {
        this.registration = registration;
    }

    /** The timer, registered now if this is its first use; null once retired. */
    Timer get() {
        Timer registered = timer;
        return registered != null ? registered : register();
    }

    private synchronized Timer register() {
        if (!retired && timer == null) {
            timer = registration.get();
        }
        return timer;
    }

    /** The pool is gone from the configuration: registers nothing from now on. Call it before its series are removed. */
    public synchronized void retire() {
        retired = true;
    }
}
