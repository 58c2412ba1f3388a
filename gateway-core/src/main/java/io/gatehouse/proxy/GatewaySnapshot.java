package io.gatehouse.proxy;

import io.gatehouse.config.GatewayConfig;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.context.Rejection;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.metrics.RouteMeters;
import io.gatehouse.metrics.UpstreamTimer;
import io.gatehouse.proxy.downstream.RequestHeadValidator;
import io.gatehouse.proxy.exchange.UpstreamRejections;
import io.gatehouse.resilience.CircuitBreaker;
import io.gatehouse.route.Route;
import io.gatehouse.route.Router;
import io.gatehouse.security.EdgeSecurity;
import io.gatehouse.tracing.GatewayTracing;
import io.gatehouse.upstream.UpstreamPool;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * One configuration compiled whole: the router with one {@link RouteHandle} per route, the pools the routes lead to,
 * the security chain, and the server settings a reload may change (limits, trusted proxies, security headers).
 * Immutable; the {@link GatewayRuntime} publishes it with one volatile write and a request reads it once, when its
 * head arrives, and keeps it to the end. Live state (backends, connections, breakers, buckets) is not copied: the
 * snapshot refers to it, and the next snapshot refers to the same objects where the configuration kept them.
 */
public final class GatewaySnapshot {
    private final GatewayConfig config;
    private final Router<RouteHandle> router;
    /** By route id, for carrying state over to the next snapshot and for the admin API; never read per request. */
    private final Map<String, RouteHandle> routes;
    private final Map<String, UpstreamPool> pools;
    private final EdgeSecurity security;
    /** Null when tracing is off; shared with the next snapshot while {@code tracing:} stays the same. */
    private final GatewayTracing tracing;
    private final ForwardedHeaders forwardedHeaders;
    private final ResponseHeaders responseHeaders;
    private final RequestHeadValidator validator;

    private GatewaySnapshot(GatewayConfig config, Map<String, UpstreamPool> pools, EdgeSecurity security,
                            GatewayTracing tracing, Compiler compiler) {
        this.config = config;
        this.pools = Map.copyOf(pools);
        this.security = security;
        this.tracing = tracing;
        this.router = Router.compile(config.routes(), compiler::handle);
        this.routes = Map.copyOf(compiler.handles);
        ServerConfig server = config.server();
        this.forwardedHeaders = new ForwardedHeaders(server.trustedProxies());
        this.responseHeaders = new ResponseHeaders(config.securityHeaders(), server.tls());
        this.validator = new RequestHeadValidator(server.limits().maxBodyBytes(), server.limits().maxHeaders());
    }

    private GatewaySnapshot(GatewaySnapshot from, GatewayConfig config, Map<String, UpstreamPool> pools,
                            Router<RouteHandle> router, Map<String, RouteHandle> routes) {
        this.config = config;
        this.pools = Map.copyOf(pools);
        this.security = from.security;
        this.tracing = from.tracing;
        this.router = router;
        this.routes = routes;
        this.forwardedHeaders = from.forwardedHeaders;
        this.responseHeaders = from.responseHeaders;
        this.validator = from.validator;
    }

    /**
     * This snapshot with other members in some pools (a discovery reported them): {@code effective} must differ from
     * {@link #config()} in pool backends only. The security chain and everything else are kept; only the handles of
     * routes to a pool that changed are rebuilt, around the new pool (same policy, meters, breaker and retry budget),
     * and the router is copied to hand them back without compiling anything again.
     *
     * @param pools every pool of {@code effective} by name: the same objects where nothing changed
     * @return this snapshot when no pool changed
     */
    public GatewaySnapshot withPools(GatewayConfig effective, Map<String, UpstreamPool> pools) {
        requireNonNull(effective, "effective");
        Map<String, RouteHandle> retargeted = new HashMap<>();
        routes.forEach((id, handle) -> {
            UpstreamPool pool = requireNonNull(pools.get(handle.target().pool().name()), () -> "pool of route " + id);
            if (pool != handle.target().pool()) {
                retargeted.put(id, retarget(handle, pool));
            }
        });
        if (retargeted.isEmpty() && pools.equals(this.pools)) {
            return this;
        }
        Map<String, RouteHandle> nextRoutes = new LinkedHashMap<>(routes);
        nextRoutes.putAll(retargeted);
        Router<RouteHandle> nextRouter = retargeted.isEmpty() ? router
                : router.withHandles(handle -> retargeted.getOrDefault(handle.id(), handle));
        return new GatewaySnapshot(this, effective, pools, nextRouter, Map.copyOf(nextRoutes));
    }

    private static RouteHandle retarget(RouteHandle handle, UpstreamPool pool) {
        RouteConfig route = handle.route().config();
        RouteTarget was = handle.target();
        return new RouteHandle(handle.route(), handle.policy(), new RouteTarget(pool, was.meters(),
                was.upstreamTimer(), route.timeouts().orElse(pool.config().timeouts()), was.retry(), was.breaker(),
                UpstreamRejections.noHealthyBackend(pool.config())));
    }

    /**
     * Compiles {@code config}. A route keeps the circuit breaker and the retry budget it had in {@code previous}
     * when its id and their settings are unchanged.
     *
     * @param pools    every pool of {@code config} by name, built already
     * @param security the security chain compiled from {@code config}
     * @param tracing  the tracing SDK of {@code config}, or {@code null} when tracing is off
     * @param previous the snapshot in force, or {@code null} at startup
     * @throws IllegalArgumentException naming the route when a route cannot be compiled
     */
    public static GatewaySnapshot compile(GatewayConfig config, Map<String, UpstreamPool> pools, EdgeSecurity security,
                                          GatewayTracing tracing, GatewayMetrics metrics, LongSupplier nanoClock,
                                          GatewaySnapshot previous) {
        requireNonNull(config, "config");
        return new GatewaySnapshot(config, pools, security, tracing,
                new Compiler(pools, security, metrics, nanoClock, previous == null ? Map.of() : previous.routes));
    }

    /** The configuration compiled, with each pool's discovered members among its backends. */
    public GatewayConfig config() { return config; }
    public ServerConfig server() { return config.server(); }
    public Router<RouteHandle> router() { return router; }
    /** Every route's handle by id (admin and reload bookkeeping; requests use {@link #router()}). */
    public Map<String, RouteHandle> routes() { return routes; }
    /** Every pool by name, as requests of this snapshot see them. */
    public Map<String, UpstreamPool> pools() { return pools; }
    public EdgeSecurity security() { return security; }
    /** The tracing SDK requests of this snapshot use; null when tracing is off. */
    public GatewayTracing tracing() { return tracing; }
    public ForwardedHeaders forwardedHeaders() { return forwardedHeaders; }
    public ResponseHeaders responseHeaders() { return responseHeaders; }
    public RequestHeadValidator validator() { return validator; }

    /** Builds each route's handle as the router compiles it, reusing live state of the previous snapshot. */
    private static final class Compiler {
        private final Map<String, UpstreamPool> pools;
        private final EdgeSecurity security;
        private final GatewayMetrics metrics;
        private final LongSupplier nanoClock;
        private final Map<String, RouteHandle> previous;
        private final Map<String, RouteHandle> handles = new LinkedHashMap<>();
        /** Resolved once per pool, not once per route. */
        private final Map<String, UpstreamTimer> upstreamTimers = new HashMap<>();
        private final Map<String, Rejection> noHealthyBackends = new HashMap<>();

        Compiler(Map<String, UpstreamPool> pools, EdgeSecurity security, GatewayMetrics metrics,
                 LongSupplier nanoClock, Map<String, RouteHandle> previous) {
            this.pools = pools;
            this.security = security;
            this.metrics = metrics;
            this.nanoClock = nanoClock;
            this.previous = previous;
        }

        RouteHandle handle(Route route) {
            RouteConfig config = route.config();
            UpstreamPool pool = requireNonNull(pools.get(config.pool()), () -> "pool of route " + config.id());
            RouteHandle before = previous.get(config.id());
            RouteConfig old = before == null ? null : before.route().config();
            CircuitBreaker breaker = old != null && old.circuitBreaker() != null
                    && old.circuitBreaker().equals(config.circuitBreaker())
                    ? before.target().breaker() : RouteBreakers.create(config, metrics, nanoClock);
            // Meters carry over by route id, resolved once, not once per reload.
            RouteMeters meters = before != null ? before.target().meters() : metrics.forRoute(config.id());
            RetryPolicy retry = old != null && old.retry().equals(config.retry()) ? before.target().retry()
                    : new RetryPolicy(config.retry(), meters, nanoClock);
            RouteTarget target = new RouteTarget(pool, meters,
                    upstreamTimers.computeIfAbsent(pool.name(), metrics::upstreamTimer),
                    config.timeouts().orElse(pool.config().timeouts()), retry, breaker,
                    noHealthyBackends.computeIfAbsent(pool.name(),
                            name -> UpstreamRejections.noHealthyBackend(pool.config())));
            RouteHandle handle = new RouteHandle(route, security.policy(config.id()), target);
            handles.put(config.id(), handle);
            return handle;
        }
    }
}
