package io.gatehouse.proxy;

import io.gatehouse.config.GatewayConfig;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.lifecycle.Readiness;
import io.gatehouse.metrics.ClientTimeoutCounters;
import io.gatehouse.log.AccessLogSink;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.metrics.GatewayMetrics.RouteMeters;
import io.gatehouse.pool.ConnectionPools;
import io.gatehouse.route.Router;
import io.gatehouse.security.EdgeSecurity;
import io.gatehouse.upstream.UpstreamPool;

import java.util.HashMap;
import java.util.Map;

/**
 * Everything a client connection needs to serve requests, compiled once from the configuration: the router, the
 * pools, each route's target and meters, the connection pools and the server's limits. Immutable apart from its
 * {@link Readiness}; a config reload would build a new one and swap it in.
 */
public final class GatewayRuntime {
    private final ServerConfig server;
    private final Router router;
    private final Map<String, UpstreamPool> pools;
    private final Map<String, RouteTarget> targets = new HashMap<>();
    private final ConnectionPools connectionPools;
    private final GatewayMetrics metrics;
    private final ForwardedHeaders forwardedHeaders;
    private final RouteMeters unroutedMeters;
    private final EdgeSecurity security;
    private final ResponseHeaders responseHeaders;
    private final Readiness readiness;
    private final ClientTimeoutCounters clientTimeouts;
    private final AccessLogSink accessLog;
    private final UpstreamFailures upstreamFailures = new UpstreamFailures(System::nanoTime);

    public GatewayRuntime(GatewayConfig config, Map<String, UpstreamPool> pools, ConnectionPools connectionPools,
                          GatewayMetrics metrics, EdgeSecurity security, AccessLogSink accessLog) {
        this.server = config.server();
        this.router = Router.compile(config.routes());
        this.pools = Map.copyOf(pools);
        this.connectionPools = connectionPools;
        this.metrics = metrics;
        this.forwardedHeaders = new ForwardedHeaders(server.trustedProxies());
        this.unroutedMeters = metrics.forRoute(GatewayMetrics.NO_ROUTE);
        this.security = security;
        this.responseHeaders = new ResponseHeaders(config.securityHeaders());
        this.readiness = new Readiness(security.startupGates(), server.readyTimeout(), System::nanoTime);
        this.clientTimeouts = metrics.clientTimeouts();
        this.accessLog = accessLog;
        for (RouteConfig route : config.routes()) {
            UpstreamPool pool = pools.get(route.pool());
            targets.put(route.id(), new RouteTarget(pool, metrics.forRoute(route.id()),
                    metrics.upstreamTimer(pool.name()), route.timeouts().orElse(pool.config().timeouts()),
                    new RetryPolicy(route.retry(), route.id(), metrics, System::nanoTime),
                    metrics.bulkheadRejections(route.id(), "backend"), RouteBreakers.create(route, metrics),
                    UpstreamRejections.noHealthyBackend(pool.config())));
        }
    }

    public ServerConfig server() { return server; }
    public Router router() { return router; }
    public Map<String, UpstreamPool> pools() { return pools; }
    public ConnectionPools connectionPools() { return connectionPools; }
    public GatewayMetrics metrics() { return metrics; }
    public ForwardedHeaders forwardedHeaders() { return forwardedHeaders; }
    public EdgeSecurity security() { return security; }
    ResponseHeaders responseHeaders() { return responseHeaders; }
    ClientTimeoutCounters clientTimeouts() { return clientTimeouts; }
    AccessLogSink accessLog() { return accessLog; }
    UpstreamFailures upstreamFailures() { return upstreamFailures; }

    public RouteTarget target(String routeId) {
        return targets.get(routeId);
    }

    /** Meters for requests that were answered before any route matched. */
    public RouteMeters unroutedMeters() { return unroutedMeters; }

    /** What {@code /readyz} answers: starting, ready or draining. */
    public Readiness readiness() { return readiness; }
    public boolean isDraining() { return readiness.isDraining(); }
}
