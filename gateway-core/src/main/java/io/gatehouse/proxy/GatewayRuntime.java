package io.gatehouse.proxy;

import io.gatehouse.lifecycle.Readiness;
import io.gatehouse.lifecycle.StartupGate;
import io.gatehouse.log.AccessLogSink;
import io.gatehouse.metrics.ClientTimeoutCounters;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.metrics.RouteMeters;
import io.gatehouse.pool.ConnectionPools;
import io.gatehouse.proxy.exchange.UpstreamFailures;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The live state of a gateway that outlasts any one configuration: metrics, upstream connections, readiness, the
 * access-log sink, and the {@link GatewaySnapshot} in force. A request reads {@link #snapshot()} once, when its head
 * arrives, and uses that snapshot to its end; a reload compiles a new one and {@linkplain #publish publishes} it with
 * one volatile write.
 */
public final class GatewayRuntime {
    private final ConnectionPools connectionPools;
    private final GatewayMetrics metrics;
    private final RouteMeters unroutedMeters;
    private final Readiness readiness;
    private final ClientTimeoutCounters clientTimeouts;
    private final AccessLogSink accessLog;
    private final UpstreamFailures upstreamFailures;
    private volatile GatewaySnapshot snapshot;
    /** The bound HTTPS port that {@code redirect_http} sends plain requests to; -1 without one. */
    private volatile int httpsPort = -1;

    /**
     * @param first     the snapshot in force from the start; its security chain's startup gates decide readiness
     * @param nanoClock what readiness and the log throttle read time from
     * @param gates     what readiness waits for besides the security chain's gates (first discovered members)
     */
    public GatewayRuntime(GatewaySnapshot first, ConnectionPools connectionPools, GatewayMetrics metrics,
                          AccessLogSink accessLog, LongSupplier nanoClock, List<StartupGate> gates) {
        this.snapshot = requireNonNull(first, "first");
        this.connectionPools = connectionPools;
        this.metrics = metrics;
        this.unroutedMeters = metrics.forRoute(GatewayMetrics.NO_ROUTE);
        List<StartupGate> all = new ArrayList<>(first.security().startupGates());
        all.addAll(gates);
        this.readiness = new Readiness(all, first.server().readyTimeout(), nanoClock);
        this.clientTimeouts = metrics.clientTimeouts();
        this.accessLog = accessLog;
        this.upstreamFailures = new UpstreamFailures(nanoClock, metrics);
        RouteBreakers.publishGauges(null, first, metrics);
    }

    /** The configuration in force; read it once per request. */
    public GatewaySnapshot snapshot() {
        return snapshot;
    }

    /**
     * Makes {@code next} the snapshot every request from now on reads, then points the route breaker gauges at its
     * breakers and removes the series of whatever it no longer has ({@link StaleRouteSeries}).
     * Called by one installing thread at a time.
     */
    public void publish(GatewaySnapshot next) {
        GatewaySnapshot previous = snapshot;
        snapshot = requireNonNull(next, "next");
        RouteBreakers.publishGauges(previous, next, metrics);
        StaleRouteSeries.forget(previous, next, metrics);
    }

    public ConnectionPools connectionPools() { return connectionPools; }
    public GatewayMetrics metrics() { return metrics; }
    public ClientTimeoutCounters clientTimeouts() { return clientTimeouts; }
    public AccessLogSink accessLog() { return accessLog; }
    public UpstreamFailures upstreamFailures() { return upstreamFailures; }

    /** The HTTPS listener is bound on {@code port}. */
    public void httpsPort(int port) { httpsPort = port; }
    public int httpsPort() { return httpsPort; }

    /** Meters for requests that were answered before any route matched. */
    public RouteMeters unroutedMeters() { return unroutedMeters; }

    /** What {@code /readyz} answers: starting, ready or draining. */
    public Readiness readiness() { return readiness; }
    public boolean isDraining() { return readiness.isDraining(); }
}
