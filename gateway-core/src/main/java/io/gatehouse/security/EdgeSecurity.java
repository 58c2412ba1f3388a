package io.gatehouse.security;

import io.gatehouse.config.ApiKeysConfig;
import io.gatehouse.config.AuthConfig;
import io.gatehouse.config.AuthMethod;
import io.gatehouse.config.CorsConfig;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.config.IpRules;
import io.gatehouse.config.JwtConfig;
import io.gatehouse.config.MtlsConfig;
import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.config.RateLimitConfig.KeyKind;
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
import java.util.function.LongSupplier;

/**
 * The gateway's security chain compiled from the configuration: one {@link RoutePolicy} per route, sharing the
 * API key table, the JWT authenticator (whose JWKS refreshes it starts and stops) and the rate-limit buckets
 * (one set per policy, shared by every route that names it).
 *
 * <p>A reload compiles a successor with {@link #reconfigure}: it carries over by identity the live state whose
 * settings did not change (local buckets with their tokens, a route's bulkhead with its count in flight, the Redis
 * connection, the JWT authenticator with its JWKS and verified-token caches and refresh cycle), then
 * {@link #retire} closes what the successor did not keep.
 */
public final class EdgeSecurity implements AutoCloseable {
    private final GatewayMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoClock;
    private final TimeMeter bucketClock;
    private final Map<String, RoutePolicy> policies = new HashMap<>();
    /** The route configuration each policy was compiled from, so that a reload can tell which it may keep. */
    private final Map<String, RouteConfig> compiledFrom = new HashMap<>();
    /** What every route's policy is compiled from besides the route itself. */
    private final Shared shared;
    /** Every rate-limit policy and quota by its whole definition: equal id and parameters share the buckets. */
    private final Map<RateLimitConfig.Policy, Limiter> limiters = new HashMap<>();
    private final Map<String, RouteBulkhead> bulkheads = new HashMap<>();
    private final ApiKeysConfig apiKeysConfig;
    private final ApiKeyAuthenticator apiKeys;
    private final MtlsConfig mtlsConfig;
    private final MtlsAuthenticator mtls;
    private final JwtConfig jwtConfig;
    private final JwtAuthenticator jwt;
    private final UpstreamIdentity upstreamIdentity;
    private final IpRules globalIpRules;
    private final SecurityRejections rejections;
    private final RedisBuckets redisBuckets;

    /** With the system's monotonic clock. */
    public EdgeSecurity(GatewayConfig config, GatewayMetrics metrics, ScheduledExecutorService scheduler) {
        this(config, metrics, scheduler, System::nanoTime);
    }

    /**
     * @param scheduler runs background work (JWKS refreshes, Redis reconnects); its tasks never block
     * @param nanoClock the gateway's monotonic clock, read by local rate limits, the JWKS refresh pacing and the
     *                  verified-token cache
     */
    public EdgeSecurity(GatewayConfig config, GatewayMetrics metrics, ScheduledExecutorService scheduler,
                        LongSupplier nanoClock) {
        this(config, metrics, scheduler, nanoClock, null);
    }

    /** @param previous the security in force, whose unchanged parts are carried over; null at startup */
    private EdgeSecurity(GatewayConfig config, GatewayMetrics metrics, ScheduledExecutorService scheduler,
                         LongSupplier nanoClock, EdgeSecurity previous) {
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.nanoClock = nanoClock;
        this.bucketClock = previous != null ? previous.bucketClock : new NanoTimeMeter(nanoClock);
        var auth = config.auth();
        this.apiKeysConfig = auth.apiKeys();
        this.apiKeys = apiKeysConfig == null ? null
                : previous != null && apiKeysConfig.equals(previous.apiKeysConfig) ? previous.apiKeys
                : new ApiKeyAuthenticator(apiKeysConfig, metrics);
        this.mtlsConfig = auth.mtls();
        this.mtls = mtlsConfig == null ? null
                : previous != null && mtlsConfig.equals(previous.mtlsConfig) ? previous.mtls
                : new MtlsAuthenticator(mtlsConfig, metrics);
        this.jwtConfig = auth.jwt();
        this.jwt = jwtConfig == null ? null
                : previous != null && jwtConfig.equals(previous.jwtConfig) ? previous.jwt
                : new JwtAuthenticator(jwtConfig, scheduler, nanoClock);
        this.redisBuckets = redisBuckets(config.rateLimit().redis(), previous);
        this.globalIpRules = config.ipRules();
        this.shared = new Shared(auth, config.cors(), config.ipRules(), config.rateLimit());
        this.rejections = keepsPolicies(previous) ? previous.rejections : new SecurityRejections(metrics,
                auth.apiKeys() == null ? "X-API-Key" : auth.apiKeys().header());
        try {
            compileRoutes(config, previous);
        } catch (RuntimeException e) {
            // Closes the JWT authenticator and Redis client made for this one; what it shares stays in use.
            if (previous != null) {
                retire(previous);
            } else {
                close();
            }
            throw e;
        }
        List<AsciiString> identityHeaders = new ArrayList<>();
        identityHeaders.add(AsciiString.cached(Consumer.CONSUMER_HEADER.toLowerCase(Locale.ROOT)));
        if (auth.jwt() != null) {
            auth.jwt().forwardClaims().values()
                    .forEach(h -> identityHeaders.add(AsciiString.cached(h.toLowerCase(Locale.ROOT))));
        }
        if (mtls != null) {
            mtls.forwardedHeaderNames().forEach(h -> identityHeaders.add(AsciiString.cached(h.toLowerCase(Locale.ROOT))));
        }
        this.upstreamIdentity = new UpstreamIdentity(identityHeaders, apiKeys);
    }

    /** Each route's policy, with the rate-limit buckets and bulkheads it carries over from {@code previous}. */
    private void compileRoutes(GatewayConfig config, EdgeSecurity previous) {
        CorsPolicy globalCors = config.cors() == null ? null : new CorsPolicy(config.cors());
        RateLimitConfig rateLimit = config.rateLimit();
        // Buckets carry over only where they live in the same store: local to local, or the same Redis.
        Map<RateLimitConfig.Policy, Limiter> carried = previous != null && previous.redisBuckets == redisBuckets
                ? previous.limiters : Map.of();
        Map<String, Limiter> byId = new HashMap<>();
        for (RateLimitConfig.Policy policy : rateLimit.policies()) {
            byId.put(policy.id(), limiter(policy, carried));
        }
        List<Limiter> quotas = rateLimit.quotas().stream().map(q -> limiter(q, carried)).toList();
        List<AuthMethod> defaultMethods = config.auth().defaultMethods();
        boolean keeps = keepsPolicies(previous);
        for (RouteConfig route : config.routes()) {
            RouteBulkhead bulkhead = bulkhead(route, previous);
            compiledFrom.put(route.id(), route);
            if (keeps && route.equals(previous.compiledFrom.get(route.id()))) {
                // Compiled from the same route and shared settings: the same buckets, bulkhead and authenticators.
                policies.put(route.id(), previous.policies.get(route.id()));
                continue;
            }
            var security = route.security();
            List<String> limitIds = security.rateLimits() != null ? security.rateLimits()
                    : rateLimit.defaultPolicies();
            List<Limiter> routeLimiters = new ArrayList<>(limitIds.size() + quotas.size());
            limitIds.forEach(id -> routeLimiters.add(byId.get(id)));
            routeLimiters.addAll(quotas); // quotas apply to every route
            policies.put(route.id(), compile(route, security.auth() != null ? security.auth() : defaultMethods,
                    security.cors() != null ? new CorsPolicy(security.cors()) : globalCors, routeLimiters,
                    bulkhead));
        }
    }

    /**
     * Whether the policy of a route that did not change can be kept as it is: every setting it is compiled from
     * besides the route is unchanged (so are then the authenticators, the buckets in the same store and the
     * rejections it refers to).
     */
    private boolean keepsPolicies(EdgeSecurity previous) {
        return previous != null && shared.equals(previous.shared) && redisBuckets == previous.redisBuckets;
    }

    /** The settings every route's policy depends on, besides its own route's. */
    private record Shared(AuthConfig auth, CorsConfig cors, IpRules ipRules, RateLimitConfig rateLimit) {}

    /** The route's chain: only the steps it configures, in the order {@link RoutePolicy} documents. */
    private RoutePolicy compile(RouteConfig route, List<AuthMethod> methods, CorsPolicy cors, List<Limiter> limiters,
                                RouteBulkhead bulkhead) {
        var security = route.security();
        List<AdmissionStep> steps = new ArrayList<>();
        List<Limiter> beforeAuth = keyedByConsumer(limiters, false);
        if (!beforeAuth.isEmpty()) {
            steps.add(new RateLimitStep(route.id(), beforeAuth));
        }
        IpRulesStep ipRules = new IpRulesStep(globalIpRules, security.ipRules(), rejections);
        if (ipRules.restricts()) {
            steps.add(ipRules);
        }
        if (methods.contains(AuthMethod.MTLS)) { // before the API key: with both, the key names the consumer
            steps.add(new MtlsStep(mtls, rejections));
        }
        if (methods.contains(AuthMethod.API_KEY)) {
            steps.add(new ApiKeyStep(apiKeys, rejections));
        }
        if (methods.contains(AuthMethod.JWT)) {
            steps.add(new JwtStep(jwt, rejections));
        }
        if (!security.roles().isEmpty()) {
            steps.add(new RolesStep(security.roles(), methods.contains(AuthMethod.JWT), rejections));
        }
        List<Limiter> afterAuth = keyedByConsumer(limiters, true);
        if (!afterAuth.isEmpty()) {
            steps.add(new RateLimitStep(route.id(), afterAuth));
        }
        if (bulkhead != null) {
            steps.add(bulkhead);
        }
        return new RoutePolicy(cors, ipRules, steps, bulkhead, rejections);
    }

    /** The limiters keyed by consumer (checked after authentication), or the others. */
    private static List<Limiter> keyedByConsumer(List<Limiter> limiters, boolean byConsumer) {
        if (limiters.isEmpty()) {
            return List.of();
        }
        return limiters.stream().filter(l -> (l.policy().key() == KeyKind.CONSUMER) == byConsumer).toList();
    }

    /**
     * The security of {@code next}, sharing with this one whatever {@code next} configures the same way: the local
     * buckets of every rate-limit policy and quota whose id and parameters are unchanged (their tokens kept), a
     * route's bulkhead whose bound is unchanged (its requests in flight still count), the Redis connection when
     * {@code rate_limit.redis} is unchanged, and the JWT authenticator (JWKS, verified tokens, refresh schedule)
     * when {@code auth.jwt} is unchanged. A route whose configuration is unchanged keeps its compiled policy when
     * {@code auth}, {@code cors}, {@code ip_rules} and {@code rate_limit} are unchanged too, so that a reload
     * compiles only the routes it changed. Changes nothing in this one. Then call {@link #start} on the result and,
     * once it is in force, {@link #retire} on this one.
     *
     * @throws IllegalArgumentException when {@code next} cannot be compiled (e.g. an unusable JWT key)
     */
    public EdgeSecurity reconfigure(GatewayConfig next) {
        return new EdgeSecurity(next, metrics, scheduler, nanoClock, this);
    }

    /**
     * Closes what this security holds and {@code successor} does not share: a replaced JWT authenticator (its
     * JWKS refresh stops) and an unused Redis connection. A request still waiting on one of them is answered as
     * if it had failed (an unknown signing key, or Redis's {@code on_error}). Nothing of this one may be used
     * afterwards. It is also how a successor that will not be installed is dropped: {@code next.retire(current)}
     * closes what {@code next} made for itself and leaves everything it shares with {@code current} running.
     */
    public void retire(EdgeSecurity successor) {
        if (jwt != null && jwt != successor.jwt) {
            jwt.close();
        }
        if (redisBuckets != null && redisBuckets != successor.redisBuckets) {
            redisBuckets.close();
        }
    }

    /** The Redis store of {@code redis}: the previous one when its settings are the same, else a new one. */
    private RedisBuckets redisBuckets(RateLimitConfig.Redis redis, EdgeSecurity previous) {
        if (redis == null) {
            return null;
        }
        if (previous != null && previous.redisBuckets != null && redis.equals(previous.redisBuckets.config())) {
            return previous.redisBuckets;
        }
        return new RedisBuckets(redis, metrics, scheduler);
    }

    /** The policy's buckets: those carried over when an equal policy had them, else new ones. */
    private Limiter limiter(RateLimitConfig.Policy policy, Map<RateLimitConfig.Policy, Limiter> carried) {
        Limiter limiter = carried.get(policy);
        if (limiter == null) {
            limiter = redisBuckets != null ? new RedisRateLimiter(policy, redisBuckets, metrics)
                    : new RateLimiter(policy, metrics, bucketClock, RateLimiter.DEFAULT_MAX_KEYS);
        }
        limiters.put(policy, limiter);
        return limiter;
    }

    /** The route's bulkhead: the previous one when its bound is unchanged, a new one, or null when it has none. */
    private RouteBulkhead bulkhead(RouteConfig route, EdgeSecurity previous) {
        Integer max = route.maxConcurrentRequests();
        if (max == null) {
            return null;
        }
        RouteBulkhead kept = previous == null ? null : previous.bulkheads.get(route.id());
        RouteBulkhead bulkhead = kept != null && kept.max() == max ? kept
                : new RouteBulkhead(max, metrics.bulkheadRejections(route.id(), "route"));
        bulkheads.put(route.id(), bulkhead);
        return bulkhead;
    }

    /**
     * Starts the background JWKS fetches and the Redis connection, if any; what a reconfigured security carried
     * over is running already and is not started again.
     */
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
