package io.gatehouse.server;

import io.gatehouse.server.GatehouseProcesses.Child;
import io.gatehouse.testing.PrometheusText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.gatehouse.server.GatehouseProcesses.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The command line of the packaged {@code gatehouse.jar}, run as a child process ({@link GatehouseProcesses}). */
class FatJarCliIT {
    private static final Path DEMO_CONFIG = Path.of("..", "config.yml");

    @TempDir
    Path dir;

    private GatehouseProcesses gatehouse;

    @BeforeAll
    static void jarIsBuilt() {
        GatehouseProcesses.assertJarIsBuilt();
    }

    @BeforeEach
    void setUp() {
        gatehouse = new GatehouseProcesses(dir);
    }

    @AfterEach
    void cleanUp() throws Exception {
        gatehouse.close();
    }

    private Child run(Map<String, String> env, String... args) throws IOException {
        return gatehouse.run(env, args);
    }

    private int refusedPort() throws IOException {
        return gatehouse.refusedPort();
    }

    private Path invalidConfig() throws IOException {
        String yaml = Files.readString(DEMO_CONFIG).replace("    pool: users\n", "    pool: userz\n");
        return Files.writeString(dir.resolve("invalid.yml"), yaml);
    }

    @Test
    void validateAcceptsTheDemoConfig() throws Exception {
        Child child = run(Map.of(), "--validate", DEMO_CONFIG.toString());

        assertThat(child.awaitExit(Duration.ofSeconds(10))).isZero();
        assertThat(child.out()).isEqualTo(DEMO_CONFIG + ": OK" + System.lineSeparator());
    }

    @Test
    void validateRejectsAnInvalidConfigWithoutStarting() throws Exception {
        Path invalid = invalidConfig();
        int port = freePort();

        Child child = run(Map.of("GATEWAY_PORT", String.valueOf(port)), "--validate", invalid.toString());

        assertThat(child.awaitExit(Duration.ofSeconds(5))).isEqualTo(1);
        assertThat(child.err())
                .startsWith("gatehouse: invalid configuration " + invalid + ":")
                .contains("  routes[0].pool: unknown pool \"userz\" (expected one of: users")
                .doesNotContain("listening");
        assertThat(child.out()).isEmpty();
    }

    /** Deep nesting used to end in a NullPointerException's stack trace. */
    @Test
    void validateRefusesAHostileConfigInOneLineWithoutAStackTrace() throws Exception {
        Path hostile = Files.writeString(dir.resolve("hostile.yml"),
                "routes: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n");

        Child child = run(Map.of(), "--validate", hostile.toString());

        assertThat(child.awaitExit(Duration.ofSeconds(5))).isEqualTo(1);
        assertThat(child.err().lines()).containsExactly("gatehouse: invalid configuration " + hostile + ":",
                "  " + hostile + ":1:72: maps and lists nested more than 64 deep (expected at most 64 levels)");
        assertThat(child.out()).isEmpty();
    }

    @Test
    void startingWithAnInvalidConfigExitsBeforeBinding() throws Exception {
        Path invalid = invalidConfig();

        Child child = run(Map.of("GATEWAY_PORT", String.valueOf(freePort())), "--config", invalid.toString());

        assertThat(child.awaitExit(Duration.ofSeconds(5))).isEqualTo(1);
        assertThat(child.err())
                .startsWith("gatehouse: invalid configuration " + invalid + ":")
                .contains("  routes[0].pool: unknown pool \"userz\"")
                .doesNotContain("listening");
    }

    @Test
    void unknownArgumentExitsWithUsage() throws Exception {
        Child child = run(Map.of(), "--bogus");

        assertThat(child.awaitExit(Duration.ofSeconds(5))).isEqualTo(2);
        assertThat(child.err()).contains("gatehouse: unknown argument \"--bogus\"", "usage: java -jar gatehouse.jar");
    }

    @Test
    void aTakenPortIsNamedAndExitsNonZeroWithoutAStackTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) { // the wildcard address, where the demo config listens
            int port = taken.getLocalPort();
            Child child = run(Map.of(
                            "GATEWAY_PORT", String.valueOf(port),
                            "USERS_1_PORT", String.valueOf(refusedPort()),
                            "USERS_2_PORT", String.valueOf(refusedPort()),
                            "INVENTORY_PORT", String.valueOf(refusedPort()),
                            "ADMIN_PORT", String.valueOf(freePort())),
                    "--config", DEMO_CONFIG.toString());

            assertThat(child.awaitExit(Duration.ofSeconds(10))).isEqualTo(1);
            assertThat(child.err())
                    .endsWith("gatehouse: cannot listen on 0.0.0.0:" + port + ": address already in use"
                            + System.lineSeparator())
                    .doesNotContain("Exception", "\tat ", "Gatehouse listening");
        }
    }

    @Test
    void servesProbesAndFailsCleanlyWithoutBackendsThenStopsOnSigterm() throws Exception {
        int port = freePort();
        Child child = run(Map.of(
                        "GATEWAY_PORT", String.valueOf(port),
                        "USERS_1_PORT", String.valueOf(refusedPort()),
                        "USERS_2_PORT", String.valueOf(refusedPort()),
                        "INVENTORY_PORT", String.valueOf(refusedPort()),
                        "ADMIN_PORT", String.valueOf(freePort())),
                "--config", DEMO_CONFIG.toString());
        HttpClient client = httpClient();

        await("/healthz and /readyz answer 200").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .ignoreException(ConnectException.class)
                .untilAsserted(() -> {
                    assertThat(child.process().isAlive()).as("gateway alive; stderr:%n%s", child.err()).isTrue();
                    assertThat(get(client, port, "/healthz").statusCode()).isEqualTo(200);
                    assertThat(get(client, port, "/readyz").statusCode()).isEqualTo(200);
                });

        HttpResponse<String> users = get(client, port, "/users");
        assertThat(users.statusCode()).isIn(502, 503);
        assertThat(users.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(users.body()).startsWith("{\"error\":");

        child.process().destroy(); // SIGTERM
        assertThat(child.awaitExit(Duration.ofSeconds(10))).isIn(143, 0);
        assertThat(child.err()).contains("Gatehouse listening on", "Gatehouse stopped");
        assertThat(child.out()).as("the access log on stdout").contains("\"path\":\"/users\"");
    }

    @Test
    void apiKeysNeverReachTheLogsButTheirConsumersDo() throws Exception {
        String key = "s3cret-key-that-must-not-leak-0042";
        String wrongKey = "wrong-key-that-must-not-leak-0099";
        int port = freePort();
        Path config = Files.writeString(dir.resolve("keys.yml"), """
                auth:
                  default: [api_key]
                  api_keys:
                    query_param: api_key
                    keys: [{id: leak-check, key: "%s"}]
                routes:
                  - {id: all, match: {path_prefix: /}, upstream: "http://127.0.0.1:%d"}
                """.formatted(key, refusedPort()));
        Child child = run(Map.of("GATEWAY_PORT", String.valueOf(port)), "--config", config.toString());
        HttpClient client = httpClient();
        awaitHealthy(client, port);

        HttpRequest withHeader = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/h"))
                .header("X-API-Key", key).timeout(Duration.ofSeconds(5)).build();
        assertThat(client.send(withHeader, HttpResponse.BodyHandlers.ofString()).statusCode()).isIn(502, 503);
        assertThat(get(client, port, "/q?api_key=" + key + "&page=2").statusCode()).isIn(502, 503);
        assertThat(get(client, port, "/q?api_key=" + wrongKey).statusCode()).isEqualTo(401);
        child.process().destroy();
        child.awaitExit(Duration.ofSeconds(10));

        String logs = child.out() + child.err();
        assertThat(logs).contains("\"consumer\":\"leak-check\"", "\"path\":\"/q?page=2\"",
                "consumer leak-check has a plain key in the config");
        assertThat(logs).doesNotContain(key).doesNotContain(wrongKey);
    }

    @Test
    void aMethodNotAllowedIsLoggedAndCountedUnderItsRoute() throws Exception {
        int port = freePort();
        Path config = Files.writeString(dir.resolve("methods.yml"), """
                routes:
                  - {id: items, match: {path_prefix: /items, methods: [GET]}, upstream: "http://127.0.0.1:%d"}
                """.formatted(refusedPort()));
        Child child = run(Map.of("GATEWAY_PORT", String.valueOf(port)), "--config", config.toString());
        HttpClient client = httpClient();
        awaitHealthy(client, port);

        HttpRequest delete = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/items/1"))
                .DELETE().timeout(Duration.ofSeconds(5)).build();
        assertThat(client.send(delete, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);

        await("the 405 in the access log").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(child.out()).containsPattern(
                        "\\{[^\\n]*\"method\":\"DELETE\",\"path\":\"/items/1\",\"route\":\"items\"[^\\n]*\"status\":405"));
        assertThat(PrometheusText.value(get(client, port, "/metrics").body(), "gatehouse_requests_total",
                "route=\"items\"", "method=\"DELETE\"", "status_class=\"4xx\"")).isEqualTo(1.0);
        child.process().destroy();
        child.awaitExit(Duration.ofSeconds(10));
    }

    @Test
    void aFailedSpanExportIsOneLineOfTheGatewaysLogNotAJulStackTrace() throws Exception {
        int port = freePort();
        Path config = Files.writeString(dir.resolve("tracing.yml"), """
                routes:
                  - {id: items, match: {path_prefix: /items}, upstream: "http://127.0.0.1:%d"}
                tracing:
                  enabled: true
                  exporter: {otlp: {endpoint: "http://127.0.0.1:%d", timeout: 1s}}
                  sampler: {ratio: 1.0}
                """.formatted(refusedPort(), refusedPort()));
        Child child = run(Map.of("GATEWAY_PORT", String.valueOf(port)), "--config", config.toString());
        HttpClient client = httpClient();
        awaitHealthy(client, port);

        await("the failed export in the log").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(child.err()).containsPattern(
                        "(?m)^\\d{4}-\\d\\d-\\d\\dT[^ ]+ ERROR [^ ]+ - Failed to export \\d+ spans"));
        assertThat(child.err()).doesNotContain("SEVERE:").doesNotContain("\tat ");
        assertThat(PrometheusText.value(get(client, port, "/metrics").body(),
                "gatehouse_tracing_spans_failed_total")).isPositive();
        child.process().destroy();
        child.awaitExit(Duration.ofSeconds(10));
    }

    private static HttpClient httpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
    }

    private static void awaitHealthy(HttpClient client, int port) {
        await("gateway up").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .ignoreException(ConnectException.class)
                .untilAsserted(() -> assertThat(get(client, port, "/healthz").statusCode()).isEqualTo(200));
    }

    private static HttpResponse<String> get(HttpClient client, int port, String path)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
