package io.gatehouse.metrics;

import io.gatehouse.context.RequestContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;

/**
 * Meters of one route, resolved once ({@link GatewayMetrics#forRoute}) and carried over by a reload that keeps the
 * route's id; counters per (method, status class) are created on first use and then cached. Once a reload removes
 * the route they are {@linkplain #retire retired}: requests of it still in flight finish uncounted rather than
 * bring a removed route's series back.
 */
public final class RouteMeters {

    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "OTHER"};
    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    /** The meters of every route when metrics are disabled: they record nothing. */
    static final RouteMeters OFF = new RouteMeters(null, null, "", null, null);

    private final MeterRegistry registry;
    private final TraceExemplars exemplars;
    private final String routeId;
    private final Timer duration;
    private final Counter aborted;
    private final Counter[] counters = new Counter[METHODS.length * STATUS_CLASSES.length];
    /** Guarded by this: no counter is registered once the route is gone. */
    private boolean retired;

    RouteMeters(MeterRegistry registry, TraceExemplars exemplars, String routeId, Timer duration, Counter aborted) {
        this.registry = registry;
        this.exemplars = exemplars;
        this.routeId = routeId;
        this.duration = duration;
        this.aborted = aborted;
    }

    /**
     * Counts a finished request by the status its client received, and times it (its trace, when sampled, a
     * candidate exemplar). A response cut off after its head went out is counted under that head's status, and as
     * aborted.
     */
    public void record(RequestContext done, int status) {
        if (duration == null) { // OFF
            return;
        }
        exemplars.record(duration, done.durationNanos(), done);
        if (done.aborted()) {
            aborted.increment();
        }
        int m = methodIndex(done.method());
        int s = Math.min(Math.max(status / 100, 1), 5) - 1;
        int slot = m * STATUS_CLASSES.length + s;
        Counter counter = counters[slot];
        if (counter == null) {
            counter = register(m, s);
            if (counter == null) {
                return;
            }
            counters[slot] = counter; // a racing loop may register the same counter; the registry hands both the one
        }
        counter.increment();
    }

    /** The counter of one (method, status class), or null when the route is retired. Rare: once per slot. */
    private synchronized Counter register(int method, int statusClass) {
        if (retired) {
            return null;
        }
        return Counter.builder(GatewayMetrics.REQUESTS).tag("route", routeId).tag("method", METHODS[method])
                .tag("status_class", STATUS_CLASSES[statusClass])
                .description("Requests answered, by route, method and status class").register(registry);
    }

    /**
     * The route is gone from the configuration: registers nothing from now on. Call it before its series are
     * removed ({@link GatewayMetrics#forget}), so that none comes back.
     */
    public synchronized void retire() {
        retired = true;
    }

    /** Requests recorded so far (every status); 0 when metrics are off. Read by the dashboard's sampler. */
    public long requestCount() {
        return duration == null ? 0 : duration.count();
    }

    /** Requests answered with a 5xx so far. Read by the dashboard's sampler, once a second. */
    public long serverErrorCount() {
        long errors = 0;
        for (int slot = STATUS_CLASSES.length - 1; slot < counters.length; slot += STATUS_CLASSES.length) {
            Counter counter = counters[slot];
            errors += counter == null ? 0 : (long) counter.count();
        }
        return errors;
    }

    /** The latency histogram so far: cumulative counts per bucket. Read by the dashboard's sampler. */
    public HistogramSnapshot latencySnapshot() {
        return duration == null ? HistogramSnapshot.empty(0, 0, 0) : duration.takeSnapshot();
    }

    private static int methodIndex(String method) {
        for (int i = 0; i < METHODS.length - 1; i++) {
            if (METHODS[i].equals(method)) {
                return i;
            }
        }
        return METHODS.length - 1;
    }
}
