package io.gatehouse.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Binds {@code routes:}, checking pool references and creating the pools of one for {@code upstream:}. */
final class RouteSection {
    private static final List<String> KEYS = List.of("id", "match", "pool", "upstream", "strip_prefix", "rewrite",
            "preserve_host", "priority", "auth", "roles", "cors", "ip_rules",
            "rate_limit", "max_concurrent_requests", "connect_timeout", "response_timeout", "idle_timeout",
            "request_timeout", "retry", "circuit_breaker", "request_buffering", "websocket");
    private static final String ROUTES_EXPECTED = "expected a non-empty list of routes";
    private static final String ONE_TARGET = "expected exactly one of: pool, upstream";
    private static final String REWRITE_EXPECTED = "expected a path starting with /";
    private static final String PREFIX_ONLY = "expected only with match.path_prefix";
    private static final String BUFFERING_EXPECTED = Sizes.EXPECTED + ", or off";
    private static final long MAX_REQUEST_BUFFERING = 64L << 20;
    /** Keys of earlier versions whose new name is worth telling rather than listing every key. */
    private static final Map<String, String> RENAMED = Map.of("timeout", "response_timeout");

    private final Map<String, PoolConfig> pools;
    private final AuthConfig auth;
    private final Set<String> rateLimitPolicies;
    private final long maxBodyBytes;
    private final List<RouteConfig> routes = new ArrayList<>();
    private final Map<String, PoolConfig> directPools = new LinkedHashMap<>();
    private final Map<String, Node> firstWithId = new HashMap<>();
    private boolean usesPools;

    private RouteSection(Map<String, PoolConfig> pools, AuthConfig auth, Set<String> rateLimitPolicies,
                         long maxBodyBytes) {
        this.pools = pools;
        this.auth = auth;
        this.rateLimitPolicies = rateLimitPolicies;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The routes in config order and the pools of one they need; {@code pool:} names must be in poolNames. */
    record Bound(List<RouteConfig> routes, Map<String, PoolConfig> directPools, boolean usesPools) {}

    /**
     * @param pools the pools of {@code pools:} by name; when empty, {@code pool:} references are not checked here
     *              and {@link Bound#usesPools} tells the caller to report the missing pools instead
     * @param maxBodyBytes {@code server.limits.max_body_bytes}, the most a route's {@code request_buffering} may be
     */
    static Bound bind(Node list, Map<String, PoolConfig> pools, AuthConfig auth, Set<String> rateLimitPolicies,
                      long maxBodyBytes) {
        RouteSection section = new RouteSection(pools, auth, rateLimitPolicies, maxBodyBytes);
        if (!list.isPresent()) {
            list.missing(ROUTES_EXPECTED);
        } else {
            List<Node> elements = list.elements(ROUTES_EXPECTED);
            if (list.isList() && elements.isEmpty()) {
                list.error("empty list (expected at least one route)");
            }
            elements.forEach(section::bindRoute);
        }
        return new Bound(section.routes, section.directPools, section.usesPools);
    }

    private void bindRoute(Node route) {
        if (!route.isPresent()) {
            route.invalid("expected a map with keys: " + String.join(", ", KEYS));
            return;
        }
        if (!route.expectMap(KEYS, RENAMED)) {
            return;
        }
        String id = id(route.get("id"));
        MatchConfig match = MatchSection.bind(route.get("match"));
        String pool = target(route, id);
        boolean prefixMatch = route.get("match").get("path_prefix").isPresent();
        Node stripNode = route.get("strip_prefix");
        boolean strip = stripNode.bool(false);
        if (strip && !prefixMatch) {
            stripNode.invalid(PREFIX_ONLY);
        }
        Node rewriteNode = route.get("rewrite");
        String rewrite = rewriteNode.parse(RouteSection::rewrite, REWRITE_EXPECTED);
        if (rewrite != null && !prefixMatch) {
            rewriteNode.invalid(PREFIX_ONLY);
        } else if (rewrite != null && strip) {
            rewriteNode.invalid("expected either rewrite or strip_prefix, not both; rewrite: / strips the prefix");
        }
        boolean preserveHost = route.get("preserve_host").bool(false);
        TimeoutsConfig timeouts = TimeoutsSection.route(route);
        Integer priority = route.get("priority").optionalInteger(Integer.MIN_VALUE, Integer.MAX_VALUE);
        RouteSecurity security = security(route);
        Integer maxConcurrent = route.get("max_concurrent_requests").optionalInteger(1, Integer.MAX_VALUE);
        RetryConfig retry = RetrySection.bind(route.get("retry"));
        CircuitBreakerConfig breaker = CircuitBreakerSection.bind(route.get("circuit_breaker"));
        long buffering = requestBuffering(route.get("request_buffering"));
        WebSocketConfig websocket = WebSocketSection.bind(route.get("websocket"));
        PoolConfig targetPool = pool == null ? null : pools.get(pool);
        if (websocket != null && targetPool != null && targetPool.protocol().multiplexed()) {
            route.get("websocket").error("needs a pool that speaks HTTP/1.1 to its backends (pool " + pool
                    + " has protocol " + targetPool.protocol().yamlName() + ", and HTTP/2 has no 101 to answer an "
                    + "upgrade)");
        }
        if (id != null && match != null && pool != null) {
            routes.add(new RouteConfig(id, match, pool, strip, rewrite, preserveHost, timeouts, priority, security,
                    maxConcurrent, retry, breaker, buffering, websocket));
        }
    }

    private RouteSecurity security(Node route) {
        List<AuthMethod> methods = AuthMethods.bind(route.get("auth"), auth);
        Node rolesNode = route.get("roles");
        List<String> roles = rolesNode.strings("expected a list of role names, any one of which is required");
        Node authNode = route.get("auth");
        // A route's own auth counts as "none" only when written as []; a bad entry has its own error already.
        boolean noAuth = authNode.isPresent() ? authNode.isList() && authNode.elements("").isEmpty()
                : auth.defaultMethods().isEmpty();
        if (!roles.isEmpty() && noAuth) {
            rolesNode.invalid("expected an auth method to take roles from: set auth on the route or auth.default");
        }
        Node rateLimit = route.get("rate_limit");
        List<String> rateLimits = rateLimit.isPresent()
                ? RateLimitSection.references(rateLimit, rateLimitPolicies) : null;
        return new RouteSecurity(methods, roles, CorsSection.bind(route.get("cors")),
                Cidrs.rules(route.get("ip_rules")), rateLimits);
    }

    /** The route id; null after reporting a problem. */
    private String id(Node node) {
        String id = node.requiredString("expected a route id such as users-api");
        if (id == null) {
            return null;
        }
        if (!Ids.isValid(id)) {
            node.invalid(Ids.EXPECTED);
            return null;
        }
        Node first = firstWithId.putIfAbsent(id, node); // its path is spelled out only for a duplicate
        if (first != null) {
            node.invalid("expected a unique id; also " + first.path());
            return null;
        }
        return id;
    }

    /** The name of the route's pool, direct or named; null after reporting a problem. */
    private String target(Node route, String id) {
        Node pool = route.get("pool");
        Node upstream = route.get("upstream");
        if (pool.isPresent() && upstream.isPresent()) {
            route.error("both pool and upstream set (" + ONE_TARGET + ")");
            return null;
        }
        if (!pool.isPresent() && !upstream.isPresent()) {
            route.error("missing pool or upstream (" + ONE_TARGET + ")");
            return null;
        }
        if (upstream.isPresent()) {
            BackendConfig backend = upstream.parse(url -> BackendUrls.parse(url, 1), PoolSection.URL_EXPECTED);
            if (backend == null || id == null) {
                return null;
            }
            PoolConfig direct = PoolSection.direct(id, backend);
            directPools.put(direct.name(), direct);
            return direct.name();
        }
        usesPools = true;
        String name = pool.string();
        if (name != null && !pools.isEmpty() && !pools.containsKey(name)) {
            pool.error("unknown pool " + pool.describe() + " (expected one of: " + String.join(", ", pools.keySet())
                    + ")");
            return null;
        }
        return name;
    }

    /**
     * A size, or {@code off} (the same as 0: every body streams). It is held in memory per connection, hence a cap
     * of its own. The default is not held against a smaller server limit: no larger body reaches the route anyway.
     */
    private long requestBuffering(Node node) {
        Long value = node.parse(RouteSection::bufferingSize, BUFFERING_EXPECTED);
        if (value == null) {
            return RouteConfig.DEFAULT_REQUEST_BUFFERING;
        }
        if (value > Math.min(maxBodyBytes, MAX_REQUEST_BUFFERING)) {
            node.invalid("expected at most 64MiB and at most server.limits.max_body_bytes, " + maxBodyBytes
                    + " bytes; or off");
            return RouteConfig.DEFAULT_REQUEST_BUFFERING;
        }
        return value;
    }

    private static long bufferingSize(String text) {
        if (text.equals("off")) {
            return 0;
        }
        try {
            return Sizes.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + ", or off");
        }
    }

    private static String rewrite(String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException(REWRITE_EXPECTED);
        }
        return text;
    }
}
