package io.gatehouse.security;

import io.gatehouse.config.AuthMethod;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.config.IpRules;
import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.context.Rejection;
import io.gatehouse.lifecycle.StartupGate;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.security.jwt.JwtAuthenticator;
import io.github.bucket4j.TimeMeter;
import io.netty.util.AsciiString;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The gateway's security chain compiled from the configuration: one {@link RoutePolicy} per route, sharing the
 * API key table, the JWT authenticator (whose JWKS refreshes it starts and stops) and the rate-limit buckets
 * (one set per policy, shared by every route that names it).
 */
public final class EdgeSecurity implements AutoCloseable {
    private final Map<String, RoutePolicy> policies = new HashMap<>();
    private final ApiKeyAuthenticator apiKeys;
    private final JwtAuthenticator jwt;
    private final UpstreamIdentity upstreamIdentity;
    private final IpRules globalIpRules;
    private final SecurityRejections rejections;
    private final RedisBuckets redisBuckets;

    public EdgeSecurity(GatewayConfig config, GatewayMetrics metrics, ScheduledExecutorService scheduler) {
        var auth = config.auth();
        this.apiKeys = auth.apiKeys() == null ? null : new ApiKeyAuthenticator(auth.apiKeys(), metrics);
        this.jwt = auth.jwt() == null ? null : new JwtAuthenticator(auth.jwt(), scheduler);
        this.globalIpRules = config.ipRules();
        this.rejections = new SecurityRejections(metrics,
                auth.apiKeys() == null ? "X-API-Key" : auth.apiKeys().header());
        CorsPolicy globalCors = config.cors() == null ? null : new CorsPolicy(config.cors());
        RateLimitConfig rateLimit = config.rateLimit();
        this.redisBuckets = rateLimit.redis() == null ? null : new RedisBuckets(rateLimit.redis(), metrics,
                scheduler);
        Map<String, Limiter> limiters = new HashMap<>();
        for (RateLimitConfig.Policy policy : rateLimit.policies()) {
            limiters.put(policy.id(), limiter(policy, metrics));
        }
        List<Limiter> quotas = rateLimit.quotas().stream().map(q -> limiter(q, metrics)).toList();
        for (RouteConfig route : config.routes()) {
            var security = route.security();
            List<AuthMethod> methods = security.auth() != null ? security.auth() : auth.defaultMethods();
            CorsPolicy cors = security.cors() != null ? new CorsPolicy(security.cors()) : globalCors;
            List<String> limitIds = security.rateLimits() != null ? security.rateLimits()
                    : config.rateLimit().defaultPolicies();
            List<Limiter> routeLimiters = new ArrayList<>(limitIds.stream().map(limiters::get).toList());
            routeLimiters.addAll(quotas); // quotas apply to every route
            RouteRateLimits rateLimits = routeLimiters.isEmpty() ? RouteRateLimits.NONE
                    : new RouteRateLimits(route.id(), routeLimiters);
            policies.put(route.id(), new RoutePolicy(cors, config.ipRules(), security.ipRules(),
                    methods.contains(AuthMethod.API_KEY) ? apiKeys : null,
                    methods.contains(AuthMethod.JWT) ? jwt : null, security.roles(), rejections, rateLimits,
                    route.maxConcurrentRequests() == null ? null : new RouteBulkhead(route.maxConcurrentRequests(),
                            metrics.bulkheadRejections(route.id(), "route"))));
        }
        List<AsciiString> identityHeaders = new ArrayList<>();
        identityHeaders.add(AsciiString.cached(Consumer.CONSUMER_HEADER.toLowerCase(Locale.ROOT)));
        if (auth.jwt() != null) {
            auth.jwt().forwardClaims().values()
                    .forEach(h -> identityHeaders.add(AsciiString.cached(h.toLowerCase(Locale.ROOT))));
        }
        this.upstreamIdentity = new UpstreamIdentity(identityHeaders, apiKeys);
    }

    /** In Redis when the rate limits are shared, else in this process. */
    private Limiter limiter(RateLimitConfig.Policy policy, GatewayMetrics metrics) {
        return redisBuckets != null ? new RedisRateLimiter(policy, redisBuckets, metrics)
                : new RateLimiter(policy, metrics, TimeMeter.SYSTEM_NANOTIME, RateLimiter.DEFAULT_MAX_KEYS);
    }

    /** Starts the background JWKS fetches and the Redis connection, if any. */
    public void start() {
        if (jwt != null) {
            jwt.start();
        }
        if (redisBuckets != null) {
            redisBuckets.start();
        }
    }

    /**
     * What requests need that is set up in the background: Redis answering for shared rate limits and
     * the first JWKS fetch, when configured.
     */
    public List<StartupGate> startupGates() {
        List<StartupGate> gates = new ArrayList<>();
        if (redisBuckets != null) {
            gates.add(redisBuckets);
        }
        if (jwt != null) {
            gates.addAll(jwt.startupGates());
        }
        return gates;
    }

    public RoutePolicy policy(String routeId) {
        return policies.get(routeId);
    }

    /**
     * The global IP rules also guard the built-in endpoints ({@code /metrics}, {@code /healthz}, {@code /readyz});
     * null when {@code client} may use them.
     */
    public Rejection refuseBuiltIn(InetAddress client) {
        return globalIpRules.permits(client) ? null : rejections.ipDenied();
    }

    /** What goes upstream about who the client is, and which client-sent copies are removed first. */
    public UpstreamIdentity upstreamIdentity() {
        return upstreamIdentity;
    }

    /** The request target as it may be logged: without an API key carried in the query. */
    public String loggableUri(String uri) {
        return upstreamIdentity.withoutKeyInQuery(uri);
    }

    @Override
    public void close() {
        if (jwt != null) {
            jwt.close();
        }
        if (redisBuckets != null) {
            redisBuckets.close();
        }
    }
}
