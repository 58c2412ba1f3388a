package io.gatehouse.metrics;

import io.gatehouse.context.Protocol;
import io.gatehouse.context.RequestContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Meters of one route, resolved once ({@link GatewayMetrics#forRoute}) and carried over by a reload that keeps the
 * route's id. Each is registered on its first use and then cached: a route that never had a request costs no
 * series (10,000 generated routes would otherwise hold tens of thousands of histograms and counters). Once a reload
 * removes the route they are {@linkplain #retire retired}: requests of it still in flight finish uncounted rather
 * than bring a removed route's series back.
 */
public final class RouteMeters {
    /** The meters of every route when metrics are disabled: they record nothing. */
    static final RouteMeters OFF = new RouteMeters(null, "");

    /** Null for {@link #OFF}. */
    private final GatewayMetrics metrics;
    private final String routeId;
    // Written once each, under the lock; a racing loop may register the same meter, the registry hands both the one.
    private volatile Timer duration;
    private volatile Counter aborted;
    private volatile Counter backendBulkheadRejections;
    private volatile Counter retryBudgetExhausted;
    private AtomicInteger websockets; // guarded by this
    /** {@code gatehouse_requests_total} per protocol, allocated with its first request (most routes see one). */
    private final Counter[][] counters = new Counter[RequestCounters.PROTOCOLS][];
    /** Guarded by this: no meter is registered once the route is gone. */
    private boolean retired;

    RouteMeters(GatewayMetrics metrics, String routeId) {
        this.metrics = metrics;
        this.routeId = routeId;
    }

    /**
     * Counts a finished request by the status its client received, and times it (its trace, when sampled, a
     * candidate exemplar). A response cut off after its head went out is counted under that head's status, and as
     * aborted.
     */
    public void record(RequestContext done, int status) {
        if (metrics == null) { // OFF
            return;
        }
        Timer timer = latency();
        if (timer == null) {
            return;
        }
        metrics.recordLatency(timer, done.durationNanos(), done);
        if (done.aborted()) {
            Counter counter = aborted;
            if (counter == null && (counter = aborted = register(() -> metrics.responsesAborted(routeId))) == null) {
                return;
            }
            counter.increment();
        }
        Protocol protocol = done.protocol();
        Counter[] byProtocol = counters[protocol.ordinal()];
        if (byProtocol == null) {
            byProtocol = counters[protocol.ordinal()] = new Counter[RequestCounters.SLOTS];
        }
        int slot = RequestCounters.slot(done.method(), status);
        Counter counter = byProtocol[slot];
        if (counter == null) {
            counter = register(() -> RequestCounters.register(metrics.registry(), routeId, protocol, slot));
            if (counter == null) {
                return;
            }
            byProtocol[slot] = counter;
        }
        counter.increment();
    }

    /** The route's latency timer, registered now if this is its first use; null once the route is retired. */
    Timer latency() {
        Timer timer = duration;
        return timer != null ? timer : (duration = register(() -> metrics.requestDuration(routeId)));
    }

    /** Counts a request refused because every backend of the pool was at its own max_concurrent_requests. */
    public void backendBulkheadRejected() {
        if (metrics == null) {
            return;
        }
        Counter counter = backendBulkheadRejections;
        if (counter == null && (counter = backendBulkheadRejections =
                register(() -> metrics.bulkheadRejections(routeId, "backend"))) == null) {
            return;
        }
        counter.increment();
    }

    /** Counts a retry the route's policy allowed but its retry budget refused. */
    public void retryBudgetExhausted() {
        if (metrics == null) {
            return;
        }
        Counter counter = retryBudgetExhausted;
        if (counter == null && (counter = retryBudgetExhausted =
                register(() -> metrics.retryBudgetExhausted(routeId))) == null) {
            return;
        }
        counter.increment();
    }

    /** The counter of the route's retries for {@code reason}, registered now; null when retired or off. Rare. */
    public Counter retries(String reason) {
        return metrics == null ? null : register(() -> metrics.retries(routeId, reason));
    }

    /**
     * The route's count of open WebSockets behind {@code gatehouse_websocket_connections{route}}, its gauge registered
     * on first use; null when metrics are off or the route is retired. Once per tunnel.
     */
    public synchronized AtomicInteger websockets() {
        if (metrics != null && websockets == null && !retired) {
            websockets = WebSocketMeters.connections(metrics.registry(), routeId);
        }
        return websockets;
    }

    /** Counts a WebSocket tunnel that ended, by how ({@code reason}). Once per tunnel. */
    public void websocketClosed(String reason) {
        Counter counter = metrics == null ? null : register(() -> WebSocketMeters.closed(metrics.registry(), routeId, reason));
        if (counter != null) {
            counter.increment();
        }
    }

    /** The meter {@code registration} makes, or null when the route is retired. Rare: once per meter. */
    private synchronized <M extends Meter> M register(Supplier<M> registration) {
        return retired ? null : registration.get();
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
        Timer timer = duration;
        return timer == null ? 0 : timer.count();
    }

    /** Requests answered with a 5xx so far. Read by the dashboard's sampler, once a second. */
    public long serverErrorCount() {
        long errors = 0;
        int stride = RequestCounters.STATUS_CLASSES.length;
        for (Counter[] byProtocol : counters) {
            for (int slot = stride - 1; byProtocol != null && slot < byProtocol.length; slot += stride) {
                Counter counter = byProtocol[slot];
                errors += counter == null ? 0 : (long) counter.count();
            }
        }
        return errors;
    }

    /**
     * The latency histogram so far: cumulative counts per bucket, none before the route's first request. Read by
     * the dashboard's sampler.
     */
    public HistogramSnapshot latencySnapshot() {
        Timer timer = duration;
        return timer == null ? HistogramSnapshot.empty(0, 0, 0) : timer.takeSnapshot();
    }
}
