package io.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.config.PoolConfig;
import io.gatehouse.testing.NamedBackend;
import io.gatehouse.testing.PrometheusText;
import io.gatehouse.testing.StreamingBackend;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What {@code /metrics} shows across installs: the series of removed routes, pools, backends and rate-limit policies
 * leave with them, kept ones keep counting, and a configuration that fails to compile leaves neither series nor
 * clients (Redis, JWKS) behind.
 */
class ReloadedMetersIntegrationTest {
    private static final Duration WITHIN = Duration.ofSeconds(5);

    @Test
    void twentyReloadsThatEachRenameARouteLeaveOnlyTheCurrentIds() throws Exception {
        // The route kept by id counts all 20 of its requests: its counters carried over, never reset.
        try (NamedBackend a = new NamedBackend("A"); NamedBackend b = new NamedBackend("B");
             NamedBackend c = new NamedBackend("C"); TestGateway gateway = TestGateway.start(renamed(0, a, b, c))) {
            assertThat(gateway.get("/nowhere").statusCode()).as("series of route none").isEqualTo(404);
            for (int i = 1; i <= 20; i++) {
                gateway.install(renamed(i, a, b, c));
                assertThat(gateway.get("/renamed/x").body()).isEqualTo("B");
                assertThat(gateway.get("/stable/x").body()).isIn("A", "C");
            }

            await().atMost(WITHIN).until(() -> gateway.metric("gatehouse_requests_total", "route=\"stable\"") == 20.0
                    && gateway.metric("gatehouse_requests_total", "route=\"r20\"") == 1.0);
            String metrics = gateway.server().metrics().scrape();
            assertThat(PrometheusText.labelValues(metrics, "route")).containsExactlyInAnyOrder("stable", "r20", "none");
            assertThat(PrometheusText.labelValues(metrics, "pool")).containsExactlyInAnyOrder("stable", "p20");
            assertThat(PrometheusText.labelValues(metrics, "policy")).containsExactly("l20");
            assertThat(PrometheusText.labelValues(metrics, "backend")).as("C left pool stable with reload 20")
                    .containsExactlyInAnyOrder(address(a), address(b));
        }
    }

    @Test
    void aRequestUnderWayOnARemovedRouteDoesNotBringItsSeriesBack() throws Exception {
        long size = 4L * 1024 * 1024;
        try (StreamingBackend files = new StreamingBackend(); NamedBackend a = new NamedBackend("A");
             TestGateway gateway = TestGateway.start(filesAnd(files.port(), a))) {
            assertThat(gateway.get("/nowhere").statusCode()).as("series of route none").isEqualTo(404);
            assertThat(gateway.get("/stable/x").body()).as("series of route stable").isEqualTo("A");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<InputStream> response = client.send(
                    HttpRequest.newBuilder(gateway.uri("/download?bytes=" + size)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                assertThat(body.readNBytes(1024)).hasSize(1024); // under way, far from complete

                gateway.install(stableOnly(a));

                assertThat(PrometheusText.labelValues(gateway.server().metrics().scrape(), "route"))
                        .doesNotContain("files");
                assertThat(1024 + body.readAllBytes().length).isEqualTo(size);
            }
            await().atMost(WITHIN).until(() -> gateway.accessLog().stream().anyMatch(l -> l.contains("\"files\"")));

            String metrics = gateway.server().metrics().scrape();
            assertThat(PrometheusText.labelValues(metrics, "route")).containsExactlyInAnyOrder("stable", "none");
            assertThat(PrometheusText.labelValues(metrics, "pool")).containsExactly("stable");
        }
    }

    @Test
    void aKeptRouteLosesTheSeriesOfWhatItNoLongerHas() throws Exception {
        String guarded = """
                pools:
                  stable: {backends: ["%s"]}
                routes:
                  - id: stable
                    match: {path_prefix: /stable}
                    pool: stable
                    retry: {attempts: 2, on: [connect_failure, "503"]}
                    max_concurrent_requests: 10
                    circuit_breaker: {consecutive_failures: 5}
                """;
        try (NamedBackend a = new NamedBackend("A"); TestGateway gateway = TestGateway.start(guarded.formatted(a.url()))) {
            assertThat(gateway.metric("gatehouse_bulkhead_rejections_total", "scope=\"route\"")).isZero();
            assertThat(gateway.metric("gatehouse_route_circuit_breaker_transitions_total", "to=\"open\"")).isZero();

            gateway.install(stableOnly(a).replace("pool: stable}", "pool: stable, retry: {attempts: 2}}"));

            assertThat(gateway.metric("gatehouse_bulkhead_rejections_total", "scope=\"route\"")).isNaN();
            assertThat(gateway.metric("gatehouse_bulkhead_rejections_total", "scope=\"backend\""))
                    .as("appears with its first rejection").isNaN();
            assertThat(gateway.metric("gatehouse_route_circuit_breaker_transitions_total", "to=\"open\"")).isNaN();
            assertThat(gateway.metric("gatehouse_route_circuit_breaker_state")).isNaN();
            assertThat(gateway.get("/stable/x").body()).isEqualTo("A");
        }
    }

    @Test
    void aConfigurationThatFailsToCompileLeavesNoSeriesAndNoClientBehind() throws Exception {
        try (NamedBackend a = new NamedBackend("A"); TestGateway gateway = TestGateway.start(stableOnly(a))) {
            assertThat(gateway.get("/stable/x").body()).isEqualTo("A");
            await().atMost(WITHIN).until(() -> gateway.metric("gatehouse_requests_total", "route=\"stable\"") == 1.0);
            Set<String> seriesBefore = gatewaySeries(gateway);
            long redisTimersBefore = redisTimerThreads();
            long httpClientsBefore = threads("HttpClient-");

            GatewayConfig parsed = TestGateway.parse((stableOnly(a) + """
                      - id: extra
                        match: {path_prefix: /extra}
                        pool: extra
                        retry: {attempts: 2}
                        circuit_breaker: {consecutive_failures: 3}
                        max_concurrent_requests: 10
                        rate_limit: [fresh]
                      - {id: dangling, match: {path_prefix: /dangling}, pool: gone}
                    auth:
                      default: []
                      jwt: {jwks_url: "http://127.0.0.1:9/jwks.json", issuer: test}
                    rate_limit:
                      backend: redis
                      redis: {uri: "redis://127.0.0.1:1"}
                      policies: [{id: fresh, key: client_ip, limit: 10, period: 1m}]
                    """).replace("routes:", """
                      extra: {backends: ["http://127.0.0.1:9"], circuit_breaker: {consecutive_failures: 3}}
                      gone: {backends: ["http://127.0.0.1:9"]}
                    routes:"""));
            Map<String, PoolConfig> withoutGone = new LinkedHashMap<>(parsed.pools());
            withoutGone.remove("gone");
            GatewayConfig failing = parsed.withPools(withoutGone); // route "dangling" names a pool that is not there

            assertThatThrownBy(() -> gateway.server().install(failing)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("dangling");

            assertThat(threads("HttpClient-")).as("no JWKS client thread for a JWT setting never installed")
                    .isLessThanOrEqualTo(httpClientsBefore);
            assertThat(gatewaySeries(gateway)).as("no series of the refused configuration").isEqualTo(seriesBefore);
            await().atMost(WITHIN).untilAsserted(() -> assertThat(redisTimerThreads())
                    .as("the Redis client made for it is shut down").isEqualTo(redisTimersBefore));
            assertThat(gateway.get("/stable/x").body()).isEqualTo("A");
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    /** The gateway's own series: the JVM's come and go with collections (a GC pause cause seen for the first time). */
    private static Set<String> gatewaySeries(TestGateway gateway) {
        Set<String> series = PrometheusText.series(gateway.server().metrics().scrape());
        series.removeIf(name -> !name.startsWith("gatehouse_"));
        return series;
    }

    /** Lettuce starts one timer thread per client and stops it when the client shuts down. */
    private static long redisTimerThreads() {
        return threads("lettuce-timer");
    }

    private static long threads(String namePrefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(namePrefix)).count();
    }

    /**
     * Reload {@code i}: route {@code stable} to pool {@code stable} (A, and C on odd reloads), and route {@code r<i>}
     * with rate-limit policy {@code l<i>} to pool {@code p<i>} (B).
     */
    private static String renamed(int i, NamedBackend a, NamedBackend b, NamedBackend c) {
        String stable = i % 2 == 0 ? '"' + a.url() + '"' : '"' + a.url() + "\", \"" + c.url() + '"';
        return """
                pools:
                  stable: {backends: [%s]}
                  p%d:
                    backends: ["%s"]
                    circuit_breaker: {consecutive_failures: 5}
                routes:
                  - {id: stable, match: {path_prefix: /stable}, pool: stable}
                  - id: r%d
                    match: {path_prefix: /renamed}
                    pool: p%d
                    retry: {attempts: 2}
                    circuit_breaker: {consecutive_failures: 5}
                    rate_limit: [l%d]
                rate_limit:
                  policies: [{id: l%d, key: client_ip, limit: 1000, period: 1m}]
                """.formatted(stable, i, b.url(), i, i, i, i);
    }

    private static String stableOnly(NamedBackend a) {
        return """
                pools:
                  stable: {backends: ["%s"]}
                routes:
                  - {id: stable, match: {path_prefix: /stable}, pool: stable}
                """.formatted(a.url());
    }

    private static String filesAnd(int filesPort, NamedBackend a) {
        return """
                pools:
                  stable: {backends: ["%s"]}
                  files: {backends: ["http://127.0.0.1:%d"]}
                routes:
                  - {id: stable, match: {path_prefix: /stable}, pool: stable}
                  - {id: files, match: {path_prefix: /download}, pool: files}
                """.formatted(a.url(), filesPort);
    }

    private static String address(NamedBackend backend) {
        return "127.0.0.1:" + backend.port();
    }
}
