package io.gatehouse.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.reload.FileConfigSource;
import io.gatehouse.server.Gatehouse;
import io.gatehouse.server.GatewayServer;
import io.gatehouse.server.StartOptions;
import io.gatehouse.testing.NamedBackend;
import io.gatehouse.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/observability.md lists every metric {@code /metrics} exposes, and nothing else: a live gateway with every
 * feature that has meters (routes, a health-checked pool, breakers, ejection, retries, bulkheads, Redis rate limits,
 * API keys, the admin API and its reloader, tracing, the HTTPS listener) is scraped after some traffic, and each family it exposes must
 * be on the page, each family the page lists must be exposed (except those its row says appear with an event).
 */
class MetricsCatalogueTest {
    private static final Path PAGE = Path.of("..", "docs", "observability.md");
    private static final Pattern DOCUMENTED = Pattern.compile("^\\| `([a-z][a-z0-9_]*)`|, `([a-z][a-z0-9_]*)`",
            Pattern.MULTILINE);
    private static final Pattern FAMILY = Pattern.compile("^# TYPE ([a-z][a-z0-9_]*) ", Pattern.MULTILINE);
    private static final String API_KEY = "catalogue-key-0123456789";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    @Test
    void everyExposedMetricIsDocumentedAndEveryDocumentedOneIsExposed() throws Exception {
        try (NamedBackend checked = new NamedBackend("checked"); NamedBackend plain = new NamedBackend("plain")) {
            TestPki.Files tls = TestPki.authority("Catalogue CA").server("localhost").writeTo(dir, "tls");
            Path file = Files.writeString(dir.resolve("gateway.yml"), config(checked, plain, tls));
            Gatehouse gatehouse = Gatehouse.start(new FileConfigSource(file, Duration.ofMillis(50)),
                    Map.of("GATEWAY_PORT", "0"), config -> GatewayServer.start(config, StartOptions.defaults().threads(2)));
            try {
                traffic(gatehouse.server().port());
                System.gc(); // jvm_gc_pause_seconds appears with the first collection

                Set<String> exposed = await().atMost(Duration.ofSeconds(10)).until(
                        () -> families(scrape(gatehouse.server().port())),
                        families -> families.contains("jvm_gc_pause_seconds"));
                assertThat(documented(true)).as("exposed by a live gateway but not in %s", PAGE).containsAll(exposed);
                assertThat(exposed).as("in %s but not exposed", PAGE).containsAll(documented(false));
            } finally {
                gatehouse.shutdown(Duration.ZERO);
            }
        }
    }

    /** A 200 with an API key, a 401 without, a 404 without a route, and a HEAD. */
    private static void traffic(int port) throws Exception {
        HttpResponse<String> ok = CLIENT.send(HttpRequest.newBuilder(uri(port, "/web/x")).header("X-API-Key", API_KEY)
                .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.body()).isIn("checked", "plain");
        assertThat(get(port, "/web/x").statusCode()).isEqualTo(401);
        assertThat(get(port, "/nowhere").statusCode()).isEqualTo(404);
    }

    /** Family names as the Prometheus text format declares them; a {@code _max} gauge goes with its timer. */
    private static Set<String> families(String exposition) {
        Set<String> families = new TreeSet<>();
        Matcher type = FAMILY.matcher(exposition);
        while (type.find()) {
            families.add(type.group(1));
        }
        families.removeIf(name -> name.endsWith("_max") && families.contains(name.substring(0, name.length() - 4)));
        return families;
    }

    /**
     * The names in the first column of the page's metric tables; without {@code onFirstEvent}, only those of rows
     * that do not say the series "appears with" an event this test's traffic may not cause.
     */
    private static Set<String> documented(boolean onFirstEvent) throws Exception {
        String page = Files.readString(PAGE);
        int metrics = page.indexOf("\n## Metrics\n");
        String section = page.substring(metrics, page.indexOf("\n## ", metrics + 1));
        Set<String> names = new TreeSet<>();
        for (String row : section.lines().filter(line -> line.startsWith("| `"))
                .filter(line -> onFirstEvent || !line.contains("appears with")).toList()) {
            Matcher name = DOCUMENTED.matcher(row.substring(0, row.indexOf(" | ", 2)));
            while (name.find()) {
                names.add(name.group(1) != null ? name.group(1) : name.group(2));
            }
        }
        return names;
    }

    private static String scrape(int port) throws Exception {
        HttpResponse<String> response = get(port, "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri(port, path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String config(NamedBackend checked, NamedBackend plain, TestPki.Files tls) {
        return """
                server: {ready_timeout: 100ms, tls: {port: 0, certificates: [{cert: %s, key: %s}]}}
                admin: {address: "127.0.0.1:0", allow_unauthenticated_loopback: true}
                tracing: {enabled: true, exporter: {otlp: {endpoint: "http://127.0.0.1:9"}}}
                pools:
                  checked:
                    backends: ["%s"]
                    health_check: {path: /healthz, interval: 1s}
                    circuit_breaker: {}
                    max_concurrent_requests: 10
                  plain:
                    backends: ["%s"]
                    outlier_detection: {}
                routes:
                  - id: web
                    match: {path_prefix: /web}
                    pool: checked
                    auth: [api_key]
                    rate_limit: [per-ip]
                    retry: {attempts: 2, budget: 20%%}
                    circuit_breaker: {}
                    max_concurrent_requests: 10
                  - {id: other, match: {path_prefix: /other}, pool: plain, auth: []}
                auth:
                  default: []
                  api_keys: {keys: [{id: team, key: "%s"}]}
                rate_limit:
                  backend: redis
                  redis: {uri: "redis://127.0.0.1:1", timeout: 20ms, on_error: allow}
                  policies: [{id: per-ip, key: client_ip, limit: 100, period: 1s}]
                """.formatted(tls.cert(), tls.key(), checked.url(), plain.url(), API_KEY);
    }
}
