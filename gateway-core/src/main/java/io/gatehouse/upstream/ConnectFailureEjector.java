package io.gatehouse.upstream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Passive health from connection attempts, for a pool without active health checks: a backend that cannot be
 * connected to (refused, timed out, unresolvable) leaves balancing at once, for as long as {@link EjectionTimes}
 * says, and returns by itself. If it still refuses, the next failed connect takes it out again, for longer; so a
 * backend that stays down costs one failed (and retried) attempt per ejection, and one that comes back is used
 * again within {@code max_ejection_time}.
 *
 * <p>Any number of backends may be out this way; when all are, the pool balances over them anyway (see
 * {@link Backend#isInBalancingWhenAllRefuse}), so refusing connections never makes the pool answer 503 itself.
 *
 * <p>Failures are reported on the event loops; ejections and returns run on the pool's health executor, the
 * single writer of the pool's balancing snapshot.
 */
final class ConnectFailureEjector {
    private static final Logger log = LoggerFactory.getLogger(ConnectFailureEjector.class);

    private final UpstreamPool pool;
    private final LongSupplier nanoClock;

    /** The ejection times are each backend's own ({@link Backend#connectTimes()}), so they survive a reload. */
    ConnectFailureEjector(UpstreamPool pool, LongSupplier nanoClock) {
        this.pool = pool;
        this.nanoClock = nanoClock;
    }

    /** A connection to {@code backend} could not be opened; any thread. */
    void connectFailed(Backend backend, Throwable cause) {
        if (!backend.isConnectEjected()) { // requests already under way when it went out fail too: no task each
            pool.healthExecutor().execute(() -> eject(backend, cause));
        }
    }

    private void eject(Backend backend, Throwable cause) {
        if (backend.isConnectEjected()) {
            return;
        }
        long duration = backend.connectTimes().eject(nanoClock.getAsLong());
        int left = pool.setConnectEjected(backend, true);
        log.warn("pool {}: backend {} ejected for {} ms after a failed connect ({}); {}", pool.name(), backend,
                TimeUnit.NANOSECONDS.toMillis(duration), cause,
                left > 0 ? left + " of " + pool.backends().size() + " in balancing"
                        : "every backend refuses, so requests try them all");
        pool.events().ejected(backend, EjectionReason.CONNECT_FAILURE);
        pool.healthExecutor().schedule(() -> restore(backend), duration, TimeUnit.NANOSECONDS);
    }

    private void restore(Backend backend) {
        backend.connectTimes().returned(nanoClock.getAsLong());
        pool.setConnectEjected(backend, false);
        log.info("pool {}: backend {} returns from its connect-failure ejection", pool.name(), backend);
    }
}
