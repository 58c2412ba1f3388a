package io.gatehouse.upstream;

import io.gatehouse.config.OutlierDetectionConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Passive health for one pool: a backend that fails {@code consecutive_failures} calls in a row is ejected from
 * balancing for a while and returns by itself, for as long as {@link EjectionTimes} says.
 *
 * <p>Failures are counted on the event loops; ejections and returns run on the pool's health executor, the
 * single writer of the pool's balancing snapshot.
 */
final class OutlierDetector {
    private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

    private final OutlierDetectionConfig config;
    private final UpstreamPool pool;
    private final List<Backend> backends;
    private final LongSupplier nanoClock;

    OutlierDetector(OutlierDetectionConfig config, UpstreamPool pool, LongSupplier nanoClock) {
        this.config = config;
        this.pool = pool;
        this.backends = pool.backends();
        this.nanoClock = nanoClock;
    }

    /** The outcome of one call to {@code backend}; any thread. */
    void record(Backend backend, boolean failed) {
        AtomicInteger consecutiveFailures = backend.consecutiveFailures();
        if (!failed) {
            if (consecutiveFailures.get() != 0) {
                consecutiveFailures.set(0);
            }
            return;
        }
        // Exactly the call that reaches the threshold asks for the ejection.
        if (consecutiveFailures.incrementAndGet() == config.consecutiveFailures()) {
            pool.healthExecutor().execute(() -> eject(backend));
        }
    }

    private void eject(Backend backend) {
        if (backend.isOutlierEjected()) {
            return;
        }
        // Others out for refusing connections count too (as in Envoy): the bound protects the share left serving.
        long ejected = backends.stream().filter(other -> other != backend && other.isEjected()).count();
        long allowed = Math.max(1, backends.size() * (long) config.maxEjectedPercent() / 100);
        if (ejected >= allowed) {
            log.warn("pool {}: backend {} failed {} times in a row but stays in: {} of {} backends are ejected "
                    + "already (max_ejected {}%)", pool.name(), backend, config.consecutiveFailures(), ejected,
                    backends.size(), config.maxEjectedPercent());
            backend.consecutiveFailures().set(0);
            return;
        }
        long duration = backend.outlierTimes().eject(nanoClock.getAsLong());
        pool.setOutlierEjected(backend, true);
        log.warn("pool {}: backend {} ejected for {} ms after {} consecutive failures", pool.name(), backend,
                TimeUnit.NANOSECONDS.toMillis(duration), config.consecutiveFailures());
        pool.events().ejected(backend, EjectionReason.CONSECUTIVE_FAILURES);
        pool.healthExecutor().schedule(() -> restore(backend), duration, TimeUnit.NANOSECONDS);
    }

    private void restore(Backend backend) {
        backend.outlierTimes().returned(nanoClock.getAsLong());
        backend.consecutiveFailures().set(0);
        pool.setOutlierEjected(backend, false);
        log.info("pool {}: backend {} returns from ejection", pool.name(), backend);
    }
}
