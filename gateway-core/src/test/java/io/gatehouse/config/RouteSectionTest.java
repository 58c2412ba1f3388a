package io.gatehouse.config;

import static io.gatehouse.config.Configs.USERS_POOL;
import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteSectionTest {
    private static final String ROUTE_KEYS =
            "id, match, pool, upstream, strip_prefix, rewrite, preserve_host, priority, auth, roles, cors,"
            + " ip_rules, rate_limit, max_concurrent_requests, connect_timeout, response_timeout, idle_timeout,"
            + " request_timeout, retry, circuit_breaker, request_buffering, websocket";

    /** Routes given as the YAML list items (without the routes: key), with the users pool defined. */
    private static List<RouteConfig> routes(String items) {
        return parse(USERS_POOL + "routes:\n" + items).routes();
    }

    private static List<String> routeErrors(String items) {
        return errors(USERS_POOL + "routes:\n" + items);
    }

    @Test
    void upstreamCreatesAPoolOfOne() {
        GatewayConfig config = parse(USERS_POOL + """
                routes:
                  - id: a
                    match: {path: /a}
                    upstream: http://10.0.0.1:8080
                  - id: b
                    match: {path: /b}
                    pool: users
                """);

        assertThat(config.pools()).containsOnlyKeys("users", "route:a");
        assertThat(config.pools().get("route:a")).isEqualTo(new PoolConfig("route:a", PoolConfig.Strategy.ROUND_ROBIN,
                List.of(new BackendConfig("http://10.0.0.1:8080", "10.0.0.1", 8080, 1)), 256, 1024,
                Duration.ofSeconds(20), TimeoutsConfig.DEFAULTS, null, BackendProtection.NONE, null, null,
                UpstreamProtocol.HTTP1));
        assertThat(config.routes()).extracting(RouteConfig::pool).containsExactly("route:a", "users");
    }

    @Test
    void optionalSettings() {
        RouteConfig route = routes("""
                  - id: a.b_c-1
                    match: {path_prefix: /a}
                    pool: users
                    rewrite: /v2
                    preserve_host: true
                    response_timeout: 250ms
                    priority: -5
                """).get(0);

        assertThat(route).isEqualTo(new RouteConfig("a.b_c-1", route.match(), "users", false, "/v2", true,
                new TimeoutsConfig(null, Duration.ofMillis(250), null, null), -5));
    }

    @Test
    void requestBufferingIsASizeUpToTheServerLimitOrOff() {
        assertThat(routes("  - {id: a, match: {path: /a}, pool: users}\n").get(0).requestBuffering())
                .isEqualTo(64 * 1024);
        assertThat(routes("  - {id: a, match: {path: /a}, pool: users, request_buffering: 1MB}\n").get(0)
                .requestBuffering()).isEqualTo(1_000_000);
        assertThat(routes("  - {id: a, match: {path: /a}, pool: users, request_buffering: 0}\n").get(0)
                .requestBuffering()).isZero();
        assertThat(routes("  - {id: a, match: {path: /a}, pool: users, request_buffering: off}\n").get(0)
                .requestBuffering()).isZero();
        String sizeExpected = "expected a size such as 512B, 16KiB, 10MiB, 1GB or a number of bytes, or off";
        assertThat(routeErrors("""
                  - {id: a, match: {path: /a}, pool: users, request_buffering: 11MiB}
                  - {id: b, match: {path: /b}, pool: users, request_buffering: -1}
                  - {id: c, match: {path: /c}, pool: users, request_buffering: 1.5KiB}
                  - {id: d, match: {path: /d}, pool: users, request_buffering: true}
                  - {id: e, match: {path: /e}, pool: users, request_buffering: {max_bytes: 1KiB}}
                """)).containsExactly(
                "routes[0].request_buffering: \"11MiB\" (expected at most 64MiB and at most"
                        + " server.limits.max_body_bytes, 10485760 bytes; or off)",
                "routes[1].request_buffering: -1 (" + sizeExpected + ")",
                "routes[2].request_buffering: \"1.5KiB\" (" + sizeExpected + ")",
                "routes[3].request_buffering: true (" + sizeExpected + ")",
                "routes[4].request_buffering: a map (" + sizeExpected + ")");
        String bigServer = "server: {limits: {max_body_bytes: 1GiB}}\n";
        assertThat(errors(bigServer + USERS_POOL + "routes:\n"
                + "  - {id: a, match: {path: /a}, pool: users, request_buffering: 65MiB}\n")).containsExactly(
                "routes[0].request_buffering: \"65MiB\" (expected at most 64MiB and at most"
                        + " server.limits.max_body_bytes, 1073741824 bytes; or off)");
        // The default is not held against a smaller server limit: no larger body reaches the route anyway.
        assertThat(parse("server: {limits: {max_body_bytes: 1KiB}}\n" + USERS_POOL + "routes:\n"
                + "  - {id: a, match: {path: /a}, pool: users}\n").routes().get(0).requestBuffering())
                .isEqualTo(64 * 1024);
    }

    @Test
    void routesThatSetNothingShareOneInstance() {
        RouteConfig route = routes("  - {id: a, match: {path: /a}, pool: users}\n").get(0);
        assertThat(route.timeouts()).isSameAs(TimeoutsConfig.INHERIT);
        assertThat(TimeoutsConfig.INHERIT.orElse(TimeoutsConfig.DEFAULTS)).isSameAs(TimeoutsConfig.DEFAULTS);
        assertThat(route.match().headers()).isSameAs(Map.of());
        assertThat(route.match().query()).isSameAs(Map.of());
        TimeoutsConfig some = new TimeoutsConfig(null, Duration.ofSeconds(2), null, null);
        assertThat(some.orElse(TimeoutsConfig.DEFAULTS)).isEqualTo(new TimeoutsConfig(Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ZERO));
    }

    @Test
    void timeoutsOverrideThePoolsOnlyWhereSet() {
        assertThat(routes("  - {id: a, match: {path: /a}, pool: users}\n").get(0).timeouts())
                .isEqualTo(TimeoutsConfig.INHERIT);
        RouteConfig route = routes("""
                  - id: a
                    match: {path: /a}
                    pool: users
                    connect_timeout: 100ms
                    response_timeout: 2s
                    idle_timeout: 3s
                    request_timeout: 0s
                """).get(0);

        assertThat(route.timeouts()).isEqualTo(new TimeoutsConfig(Duration.ofMillis(100), Duration.ofSeconds(2),
                Duration.ofSeconds(3), Duration.ZERO));
        assertThat(route.timeouts().hasRequestLimit()).isFalse();
        assertThat(routeErrors("""
                  - id: a
                    match: {path: /a}
                    pool: users
                    connect_timeout: 0s
                    response_timeout: 0ms
                    idle_timeout: 5
                    request_timeout: soon
                """)).containsExactly(
                "routes[0].connect_timeout: \"0s\" (expected a duration greater than 0)",
                "routes[0].response_timeout: \"0ms\" (expected a duration greater than 0)",
                "routes[0].idle_timeout: 5 (expected a duration such as 250ms, 2s, 1m; a plain number is ambiguous,"
                        + " add a unit as in 5s)",
                "routes[0].request_timeout: \"soon\" (expected a duration such as 250ms, 2s, 1m)");
    }

    @Test
    void theOldTimeoutKeyNamesItsNewName() {
        assertThat(routeErrors("""
                  - id: a
                    match: {path: /a}
                    pool: users
                    timeout: 5s
                    timeouts: 5s
                """)).containsExactly(
                "routes[0].timeout: renamed to response_timeout",
                "routes[0].timeouts: unknown key (expected one of: " + ROUTE_KEYS + ")");
    }

    @Test
    void maxConcurrentRequestsIsAPositiveBound() {
        assertThat(routes("  - {id: a, match: {path: /a}, pool: users, max_concurrent_requests: 8}\n")
                .get(0).maxConcurrentRequests()).isEqualTo(8);
        assertThat(routes("  - {id: a, match: {path: /a}, pool: users}\n").get(0).maxConcurrentRequests()).isNull();
        assertThat(routeErrors("  - {id: a, match: {path: /a}, pool: users, max_concurrent_requests: 0}\n"))
                .containsExactly("routes[0].max_concurrent_requests: 0 (expected: 1..2147483647)");
    }

    @Test
    void ids() {
        assertThat(routeErrors("""
                  - match: {path: /a}
                    pool: users
                  - id: "a b"
                    match: {path: /b}
                    pool: users
                  - id: c
                    match: {path: /c}
                    pool: users
                  - id: c
                    match: {path: /d}
                    pool: users
                """)).containsExactly(
                "routes[0].id: missing (expected a route id such as users-api)",
                "routes[1].id: \"a b\" (expected letters, digits, '.', '_' and '-' only)",
                "routes[3].id: \"c\" (expected a unique id; also routes[2].id)");
    }

    @Test
    void exactlyOneOfPoolAndUpstream() {
        assertThat(routeErrors("""
                  - id: a
                    match: {path: /a}
                  - id: b
                    match: {path: /b}
                    pool: users
                    upstream: http://a:1
                """)).containsExactly(
                "routes[0]: missing pool or upstream (expected exactly one of: pool, upstream)",
                "routes[1]: both pool and upstream set (expected exactly one of: pool, upstream)");
    }

    @Test
    void unknownPool() {
        assertThat(errors("""
                pools:
                  users: {backends: [http://a:1]}
                  inventory: {backends: [http://a:2]}
                routes:
                  - id: a
                    match: {path: /a}
                    pool: users
                  - id: b
                    match: {path: /b}
                    pool: userz
                """)).containsExactly("routes[1].pool: unknown pool \"userz\" (expected one of: users, inventory)");
    }

    @Test
    void upstreamIsValidatedLikeABackend() {
        assertThat(routeErrors("""
                  - id: a
                    match: {path: /a}
                    upstream: https://a/api
                """)).containsExactly(
                "routes[0].upstream: \"https://a/api\" (expected no path in a backend URL, only http(s)://host[:port]; "
                        + "use the route's rewrite to change paths)");
    }

    @Test
    void stripPrefixAndRewriteOnlyWithPathPrefix() {
        assertThat(routes("""
                  - id: a
                    match: {path_prefix: /a}
                    pool: users
                    strip_prefix: true
                """).get(0).stripPrefix()).isTrue();
        assertThat(routeErrors("""
                  - id: a
                    match: {path: /a}
                    pool: users
                    strip_prefix: true
                    rewrite: /b
                  - id: b
                    match: {path_prefix: /b}
                    pool: users
                    strip_prefix: true
                    rewrite: /c
                  - id: c
                    match: {path_prefix: /c}
                    pool: users
                    rewrite: c
                    strip_prefix: "yes"
                """)).containsExactly(
                "routes[0].strip_prefix: true (expected only with match.path_prefix)",
                "routes[0].rewrite: \"/b\" (expected only with match.path_prefix)",
                "routes[1].rewrite: \"/c\" (expected either rewrite or strip_prefix, not both; rewrite: / strips the"
                        + " prefix)",
                "routes[2].strip_prefix: \"yes\" (expected true or false)",
                "routes[2].rewrite: \"c\" (expected a path starting with /)");
    }

    @Test
    void typeErrors() {
        assertThat(routeErrors("""
                  - id: a
                    match: {path: /a}
                    pool: users
                    response_timeout: 30
                    priority: high
                    preserve_host: 1
                    retries: 2
                  - just-a-string
                  -
                """)).containsExactly(
                "routes[0].retries: unknown key (expected one of: " + ROUTE_KEYS + ")",
                "routes[0].preserve_host: 1 (expected true or false)",
                "routes[0].response_timeout: 30 (expected a duration such as 250ms, 2s, 1m; a plain number is"
                        + " ambiguous, add a unit as in 30s)",
                "routes[0].priority: \"high\" (expected an integer, -2147483648..2147483647)",
                "routes[1]: \"just-a-string\" (expected a map with keys: " + ROUTE_KEYS + ")",
                "routes[2]: null (expected a map with keys: " + ROUTE_KEYS + ")");
    }
}
