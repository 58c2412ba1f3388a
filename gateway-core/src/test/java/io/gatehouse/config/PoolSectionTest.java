package io.gatehouse.config;

import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolSectionTest {
    private static final String POOL_KEYS = "strategy, backends, max_connections, max_pending_acquires,"
            + " keepalive_timeout, connect_timeout, response_timeout, idle_timeout, request_timeout, health_check,"
            + " max_concurrent_requests, circuit_breaker, outlier_detection, connect_failure_ejection, discovery, tls,"
            + " protocol";
    private static final String ROUTE = """
            routes:
              - id: r
                match: {path_prefix: /}
                pool: users
            """;

    /** The {@code users} pool's body, indented under {@code pools.users}. */
    private static PoolConfig users(String body) {
        return parse("pools:\n  users:\n" + body.indent(4) + ROUTE).pools().get("users");
    }

    private static List<String> usersErrors(String body) {
        return errors("pools:\n  users:\n" + body.indent(4) + ROUTE);
    }

    @Test
    void backendsAsStringsOrMaps() {
        PoolConfig pool = users("""
                backends:
                  - {url: "http://10.0.0.1:9001", weight: 5}
                  - http://10.0.0.2
                  - url: http://[2001:db8::1]:8080
                  - http://Backend-3.internal:81/
                """);

        assertThat(pool.backends()).containsExactly(
                new BackendConfig("http://10.0.0.1:9001", "10.0.0.1", 9001, 5),
                new BackendConfig("http://10.0.0.2", "10.0.0.2", 80, 1),
                new BackendConfig("http://[2001:db8::1]:8080", "2001:db8::1", 8080, 1),
                new BackendConfig("http://Backend-3.internal:81/", "backend-3.internal", 81, 1));
    }

    @Test
    void strategies() {
        for (PoolConfig.Strategy strategy : PoolConfig.Strategy.values()) {
            PoolConfig pool = users("strategy: " + strategy.yamlName() + "\nbackends: [http://a:1]");
            assertThat(pool.strategy()).isEqualTo(strategy);
        }
        assertThat(usersErrors("strategy: fastest\nbackends: [http://a:1]")).containsExactly(
                "pools.users.strategy: \"fastest\" (expected one of: round_robin, least_connections, random,"
                        + " weighted_round_robin)");
    }

    @Test
    void protocolDefaultsToHttp1AndMustSuitTheScheme() {
        assertThat(users("backends: [http://a:1]").protocol()).isEqualTo(UpstreamProtocol.HTTP1);
        assertThat(users("backends: [http://a:1]\nprotocol: h2c").protocol()).isEqualTo(UpstreamProtocol.H2C);
        assertThat(users("backends: [https://a:1]\nprotocol: h2").protocol()).isEqualTo(UpstreamProtocol.H2);
        assertThat(users("backends: [https://a:1]\nprotocol: http1").protocol()).isEqualTo(UpstreamProtocol.HTTP1);

        assertThat(usersErrors("backends: [http://a:1]\nprotocol: http2")).containsExactly(
                "pools.users.protocol: \"http2\" (expected one of: http1, h2, h2c)");
        assertThat(usersErrors("backends: [http://a:1]\nprotocol: h2")).containsExactly(
                "pools.users.protocol: h2 is HTTP/2 over TLS: it needs https:// backends (expected h2c for http:// or"
                        + " discovered backends)");
        assertThat(usersErrors("backends: [https://a:1]\nprotocol: h2c")).containsExactly(
                "pools.users.protocol: h2c is cleartext HTTP/2: it needs http:// backends (expected h2 for https://"
                        + " backends)");
    }

    @Test
    void backendsAreRequiredAndNonEmpty() {
        String expected = "expected a non-empty list of backends, each a URL or a map with keys: url, weight";
        assertThat(usersErrors("strategy: random")).containsExactly(
                "pools.users.backends: missing (" + expected + " (or discovery))");
        assertThat(errors("pools:\n  users:\n" + ROUTE)).containsExactly(
                "pools.users.backends: missing (" + expected + " (or discovery))");
        assertThat(usersErrors("backends: []")).containsExactly(
                "pools.users.backends: empty list (expected at least one backend)");
        assertThat(usersErrors("backends: http://a:1")).containsExactly(
                "pools.users.backends: \"http://a:1\" (" + expected + ")");
    }

    @Test
    void backendErrors() {
        assertThat(usersErrors("""
                backends:
                  - https://a:0
                  - http://a:1/api
                  - http://user:pw@a:1
                  - http://a:1/?x=1
                  - http://a:1/#top
                  - http://a:0
                  - http://a:http
                  - ftp://a
                  - http://a b:1
                  - http://[::1
                  - http://[::g]:1
                  - http://[::1]x
                  - {weight: 2}
                  - {url: http://b:1, weight: 1001, tls: true}
                  - ~
                """)).containsExactly(
                "pools.users.backends[0]: \"https://a:0\" (expected a port in 1..65535)",
                "pools.users.backends[1]: \"http://a:1/api\" (expected no path in a backend URL, only"
                        + " http(s)://host[:port]; use the route's rewrite to change paths)",
                "pools.users.backends[2]: \"http://user:pw@a:1\" (expected no user info in a backend URL)",
                "pools.users.backends[3]: \"http://a:1/?x=1\" (expected no query in a backend URL)",
                "pools.users.backends[4]: \"http://a:1/#top\" (expected no fragment in a backend URL)",
                "pools.users.backends[5]: \"http://a:0\" (expected a port in 1..65535)",
                "pools.users.backends[6]: \"http://a:http\" (expected a port in 1..65535)",
                "pools.users.backends[7]: \"ftp://a\" (expected an http:// or https:// URL such as"
                        + " http://127.0.0.1:9001)",
                "pools.users.backends[8]: \"http://a b:1\" (expected a host name or IP address such as"
                        + " http://127.0.0.1:9001)",
                "pools.users.backends[9]: \"http://[::1\" (expected a closing ']' after the IPv6 address)",
                "pools.users.backends[10]: \"http://[::g]:1\" (expected a valid IPv6 address between the brackets)",
                "pools.users.backends[11]: \"http://[::1]x\" (expected ':port' after the IPv6 address)",
                "pools.users.backends[12].url: missing (expected a URL such as http://127.0.0.1:9001)",
                "pools.users.backends[13].tls: unknown key (expected one of: url, weight)",
                "pools.users.backends[13].weight: 1001 (expected: 1..1000)",
                "pools.users.backends[14]: null (expected a URL such as http://127.0.0.1:9001)");
    }

    @Test
    void duplicateBackendsAreErrors() {
        assertThat(usersErrors("backends: [http://a, \"http://a:1\", {url: \"http://A:80/\"}]")).containsExactly(
                "pools.users.backends[2].url: \"http://A:80/\" (expected each backend once per pool; a:80 is also"
                        + " pools.users.backends[0])");
    }

    @Test
    void connectionSettings() {
        PoolConfig pool = users("""
                backends: [http://a:1]
                max_connections: 1
                max_pending_acquires: 0
                keepalive_timeout: 5s
                connect_timeout: 250ms
                response_timeout: 10s
                idle_timeout: 1m
                request_timeout: 0s
                """);

        assertThat(pool.maxConnections()).isEqualTo(1);
        assertThat(pool.maxPendingAcquires()).isZero();
        assertThat(pool.keepaliveTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(pool.timeouts()).isEqualTo(new TimeoutsConfig(Duration.ofMillis(250), Duration.ofSeconds(10),
                Duration.ofMinutes(1), Duration.ZERO));
        assertThat(usersErrors("""
                backends: [http://a:1]
                max_connections: 0
                max_pending_acquires: -1
                keepalive_timeout: 0s
                connect_timeout: 0s
                response_timeout: 0ms
                idle_timeout: 30
                request_timeout: -1s
                retries: 3
                """)).containsExactly(
                "pools.users.retries: unknown key (expected one of: " + POOL_KEYS + ")",
                "pools.users.max_connections: 0 (expected: at least 1)",
                "pools.users.max_pending_acquires: -1 (expected: at least 0)",
                "pools.users.keepalive_timeout: \"0s\" (expected a duration greater than 0)",
                "pools.users.connect_timeout: \"0s\" (expected a duration greater than 0)",
                "pools.users.response_timeout: \"0ms\" (expected a duration greater than 0)",
                "pools.users.idle_timeout: 30 (expected a duration such as 250ms, 2s, 1m; a plain number is"
                        + " ambiguous, add a unit as in 30s)",
                "pools.users.request_timeout: \"-1s\" (expected a duration such as 250ms, 2s, 1m)");
    }

    @Test
    void connectionDefaults() {
        PoolConfig pool = users("backends: [http://a:1]");

        assertThat(pool.maxConnections()).isEqualTo(256);
        assertThat(pool.maxPendingAcquires()).isEqualTo(1024);
        assertThat(pool.keepaliveTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(pool.timeouts()).isEqualTo(new TimeoutsConfig(Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofSeconds(60), Duration.ZERO));
        assertThat(pool.timeouts().hasRequestLimit()).isFalse();
        assertThat(pool.protection())
                .isEqualTo(new BackendProtection(null, null, null, ConnectFailureEjectionConfig.DEFAULTS));
    }

    @Test
    void maxConcurrentRequestsIsAPerBackendBound() {
        assertThat(users("backends: [http://a:1]\nmax_concurrent_requests: 100").protection())
                .isEqualTo(new BackendProtection(100, null, null, ConnectFailureEjectionConfig.DEFAULTS));
        assertThat(users("backends: [http://a:1]\nmax_concurrent_requests:").protection().maxConcurrentRequests())
                .isNull();
        assertThat(usersErrors("backends: [http://a:1]\nmax_concurrent_requests: 0")).containsExactly(
                "pools.users.max_concurrent_requests: 0 (expected: 1..2147483647)");
        assertThat(usersErrors("backends: [http://a:1]\nmax_concurrent_requests: many")).containsExactly(
                "pools.users.max_concurrent_requests: \"many\" (expected an integer, 1..2147483647)");
    }

    @Test
    void poolNamesAreIds() {
        assertThat(errors("pools:\n  \"route:x\": {backends: [http://a:1]}\n  users: {backends: [http://a:1]}\n"
                + ROUTE)).containsExactly(
                "pools.route:x: invalid pool name (expected letters, digits, '.', '_' and '-' only)");
    }

    @Test
    void healthCheckIsAbsentUnlessWritten() {
        assertThat(users("backends: [http://a:1]").healthCheck()).isNull();
        assertThat(users("backends: [http://a:1]\nhealth_check:").healthCheck()).isNull();
    }

    @Test
    void healthCheckDefaults() {
        assertThat(users("backends: [http://a:1]\nhealth_check: {}").healthCheck()).isEqualTo(new HealthCheckConfig(
                "/healthz", Duration.ofSeconds(5), Duration.ofSeconds(1), 2, 2, 200, 299));
    }

    @Test
    void healthCheckExpectedStatusForms() {
        assertThat(expectedStatus("204")).containsExactly(204, 204);
        assertThat(expectedStatus("\"3xx\"")).containsExactly(300, 399);
        assertThat(expectedStatus("2XX")).containsExactly(200, 299);
        assertThat(expectedStatus("200-399")).containsExactly(200, 399);
        assertThat(expectedStatus("404-404")).containsExactly(404, 404);
        String expected = "(expected a status code 100..599, a class such as \"2xx\", or a range such as \"200-399\")";
        assertThat(usersErrors("backends: [http://a:1]\nhealth_check: {expected_status: 600}")).containsExactly(
                "pools.users.health_check.expected_status: 600 " + expected);
        assertThat(usersErrors("backends: [http://a:1]\nhealth_check: {expected_status: 6xx}")).containsExactly(
                "pools.users.health_check.expected_status: \"6xx\" " + expected);
        assertThat(usersErrors("backends: [http://a:1]\nhealth_check: {expected_status: 399-200}")).containsExactly(
                "pools.users.health_check.expected_status: \"399-200\" " + expected);
        assertThat(usersErrors("backends: [http://a:1]\nhealth_check: {expected_status: [200]}")).containsExactly(
                "pools.users.health_check.expected_status: a list " + expected);
    }

    @Test
    void healthCheckErrors() {
        assertThat(usersErrors("""
                backends: [http://a:1]
                health_check: {path: healthz, interval: 500ms, healthy_threshold: 0, unhealthy_threshold: x, port: 1}
                """)).containsExactly(
                "pools.users.health_check.port: unknown key (expected one of: path, interval, timeout,"
                        + " healthy_threshold, unhealthy_threshold, expected_status)",
                "pools.users.health_check.path: \"healthz\" (expected a path starting with / and without spaces)",
                "pools.users.health_check: timeout 1s is longer than interval 500ms (expected timeout <= interval)",
                "pools.users.health_check.healthy_threshold: 0 (expected: at least 1)",
                "pools.users.health_check.unhealthy_threshold: \"x\" (expected an integer, at least 1)");
        assertThat(usersErrors("backends: [http://a:1]\nhealth_check: true")).containsExactly(
                "pools.users.health_check: true (expected a map with keys: path, interval, timeout,"
                        + " healthy_threshold, unhealthy_threshold, expected_status)");
    }

    private static List<Integer> expectedStatus(String yaml) {
        HealthCheckConfig check = users("backends: [http://a:1]\nhealth_check: {expected_status: " + yaml + "}")
                .healthCheck();
        return List.of(check.expectedStatusMin(), check.expectedStatusMax());
    }
}
