package io.gatehouse.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Binds {@code pools:} and builds the pools of one behind routes with a direct {@code upstream}. */
final class PoolSection {
    static final String URL_EXPECTED = "expected a URL such as http://127.0.0.1:9001";

    private static final List<String> KEYS = List.of("strategy", "backends", "max_connections",
            "max_pending_acquires", "keepalive_timeout", "connect_timeout", "response_timeout", "idle_timeout",
            "request_timeout", "health_check", "max_concurrent_requests", "circuit_breaker", "outlier_detection",
            "connect_failure_ejection", "discovery", "tls", "protocol");
    private static final List<String> BACKEND_KEYS = List.of("url", "weight");
    private static final String STRATEGY_EXPECTED = "expected one of: " + Arrays.stream(PoolConfig.Strategy.values())
            .map(PoolConfig.Strategy::yamlName).collect(Collectors.joining(", "));
    private static final String PROTOCOL_EXPECTED = "expected one of: " + Arrays.stream(UpstreamProtocol.values())
            .map(UpstreamProtocol::yamlName).collect(Collectors.joining(", "));
    private static final int DEFAULT_MAX_CONNECTIONS = 256;
    private static final int DEFAULT_MAX_PENDING_ACQUIRES = 1024;
    private static final Duration DEFAULT_KEEPALIVE_TIMEOUT = Duration.ofSeconds(20);

    private PoolSection() {}

    /** Every pool by name in config order; a pool with problems is still present, built from defaults. */
    static Map<String, PoolConfig> bind(Node pools) {
        Map<String, PoolConfig> out = new LinkedHashMap<>();
        pools.entries("expected a map of pool name to pool").forEach((name, pool) -> {
            if (!Ids.isValid(name)) {
                pool.error("invalid pool name (" + Ids.EXPECTED + ")");
            }
            out.put(name, bindPool(name, pool));
        });
        return out;
    }

    /**
     * The pool of one for a route with {@code upstream: URL}: default settings, no health check, and nothing that
     * takes its one backend out of balancing (there is nowhere else to send).
     */
    static PoolConfig direct(String routeId, BackendConfig backend) {
        return new PoolConfig(RouteConfig.directPoolName(routeId), PoolConfig.Strategy.ROUND_ROBIN, List.of(backend),
                DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_PENDING_ACQUIRES, DEFAULT_KEEPALIVE_TIMEOUT,
                TimeoutsConfig.DEFAULTS, null, BackendProtection.NONE, null,
                backend.tls() ? UpstreamTlsConfig.DEFAULTS : null, UpstreamProtocol.HTTP1);
    }

    private static PoolConfig bindPool(String name, Node pool) {
        pool.expectMap(KEYS);
        PoolConfig.Strategy strategy = pool.get("strategy").parse(PoolSection::strategy, STRATEGY_EXPECTED);
        DiscoveryConfig discovery = DiscoverySection.bind(pool.get("discovery"));
        boolean discovered = discovery != null || pool.get("discovery").isPresent();
        List<BackendConfig> backends = backends(pool.get("backends"), discovered);
        return new PoolConfig(
                name,
                strategy == null ? PoolConfig.Strategy.ROUND_ROBIN : strategy,
                backends,
                pool.get("max_connections").integerAtLeast(DEFAULT_MAX_CONNECTIONS, 1),
                pool.get("max_pending_acquires").integerAtLeast(DEFAULT_MAX_PENDING_ACQUIRES, 0),
                pool.get("keepalive_timeout").duration(DEFAULT_KEEPALIVE_TIMEOUT, false),
                TimeoutsSection.pool(pool),
                HealthCheckSection.bind(pool.get("health_check")),
                new BackendProtection(
                        pool.get("max_concurrent_requests").optionalInteger(1, Integer.MAX_VALUE),
                        CircuitBreakerSection.bind(pool.get("circuit_breaker")),
                        OutlierDetectionSection.bind(pool.get("outlier_detection")),
                        ConnectFailureEjectionSection.bind(pool.get("connect_failure_ejection"),
                                pool.get("health_check").isPresent())),
                discovery,
                tls(pool, backends, discovered),
                protocol(pool.get("protocol"), backends, discovered));
    }

    /**
     * {@code protocol}, which must suit the pool's scheme: h2 is negotiated in the TLS handshake, so it needs https
     * backends; h2c is HTTP/2 without TLS, so it needs http ones (discovered members are http).
     */
    private static UpstreamProtocol protocol(Node node, List<BackendConfig> backends, boolean discovered) {
        UpstreamProtocol protocol = node.parse(PoolSection::protocol, PROTOCOL_EXPECTED);
        if (protocol == null) {
            return UpstreamProtocol.HTTP1;
        }
        boolean https = backends.stream().anyMatch(BackendConfig::tls);
        if (protocol == UpstreamProtocol.H2 && (!https || discovered)) {
            node.error("h2 is HTTP/2 over TLS: it needs https:// backends (expected h2c for http:// or discovered "
                    + "backends)");
        } else if (protocol == UpstreamProtocol.H2C && https) {
            node.error("h2c is cleartext HTTP/2: it needs http:// backends (expected h2 for https:// backends)");
        }
        return protocol;
    }

    private static UpstreamProtocol protocol(String text) {
        for (UpstreamProtocol p : UpstreamProtocol.values()) {
            if (p.yamlName().equals(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException(PROTOCOL_EXPECTED);
    }

    /**
     * The pool's TLS settings: {@code tls:} or the defaults when its backends are https, null when they are http. One
     * pool is one scheme: its backends are replicas of one service, and a retry or failover must never move a request
     * from TLS to plain text. A pool with discovery is plain: discovered members are http only for now.
     */
    private static UpstreamTlsConfig tls(Node pool, List<BackendConfig> backends, boolean discovered) {
        Node tlsNode = pool.get("tls");
        UpstreamTlsConfig tls = UpstreamTlsSection.bind(tlsNode);
        boolean https = backends.stream().anyMatch(BackendConfig::tls);
        if (https && backends.stream().anyMatch(b -> !b.tls())) {
            pool.get("backends").error("mixes http:// and https:// URLs (expected one scheme per pool, so that a "
                    + "retry never moves a request from TLS to plain text)");
        }
        if (https && discovered) {
            pool.get("backends").error("has https:// URLs in a pool with discovery (expected http:// only: "
                    + "discovered members cannot use TLS yet)");
        }
        if (tlsNode.isPresent() && !https) {
            tlsNode.error("set on a pool without https:// backends (expected https:// backend URLs, or no tls)");
        }
        return !https ? null : tls == null ? UpstreamTlsConfig.DEFAULTS : tls;
    }

    private static PoolConfig.Strategy strategy(String text) {
        for (PoolConfig.Strategy s : PoolConfig.Strategy.values()) {
            if (s.yamlName().equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException(STRATEGY_EXPECTED);
    }

    /** @param discovered the pool has {@code discovery}, so static backends are optional */
    private static List<BackendConfig> backends(Node list, boolean discovered) {
        String expected = "expected a non-empty list of backends, each a URL or a map with keys: url, weight";
        if (!list.isPresent()) {
            if (!discovered) {
                list.missing(expected + " (or discovery)");
            }
            return List.of();
        }
        List<Node> elements = list.elements(expected);
        if (list.isList() && elements.isEmpty() && !discovered) {
            list.error("empty list (expected at least one backend)");
        }
        List<BackendConfig> backends = new ArrayList<>();
        Map<String, String> firstByAddress = new HashMap<>();
        for (Node element : elements) {
            Node url = element.isMap() ? element.get("url") : element;
            BackendConfig backend = element.isMap() ? mapBackend(element, url) : url(url, 1);
            if (backend == null) {
                continue;
            }
            String first = firstByAddress.putIfAbsent(backend.address(), element.path());
            if (first != null) {
                url.invalid("expected each backend once per pool; " + backend.address() + " is also " + first);
            }
            backends.add(backend);
        }
        return backends;
    }

    private static BackendConfig mapBackend(Node element, Node url) {
        element.expectMap(BACKEND_KEYS);
        int weight = element.get("weight").integer(1, 1, 1000);
        if (!url.isPresent()) {
            url.missing(URL_EXPECTED);
            return null;
        }
        return url(url, weight);
    }

    /** Null after reporting a problem. */
    private static BackendConfig url(Node url, int weight) {
        if (!url.isPresent()) {
            url.invalid(URL_EXPECTED);
            return null;
        }
        return url.parse(text -> BackendUrls.parse(text, weight), URL_EXPECTED);
    }
}
