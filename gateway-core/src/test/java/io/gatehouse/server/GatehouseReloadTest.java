package io.gatehouse.server;

import ch.qos.logback.classic.Level;
import io.gatehouse.config.ConfigException;
import io.gatehouse.reload.ConfigReloader;
import io.gatehouse.reload.FileConfigSource;
import io.gatehouse.reload.ReloadOutcome;
import io.gatehouse.reload.ReloadOutcome.Result;
import io.gatehouse.testing.CapturedLogs;
import io.gatehouse.testing.NamedBackend;
import io.gatehouse.testing.PrometheusText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** A {@link Gatehouse} started from a real file: saving the file reloads it, and what a reload refuses changes nothing. */
class GatehouseReloadTest {
    private static final Map<String, String> ENV = Map.of("GATEWAY_PORT", "0");
    private static final Duration SEEN_WITHIN = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;
    private final List<NamedBackend> backends = new ArrayList<>();
    private Path file;
    private Gatehouse gatehouse;

    @BeforeEach
    void start() throws Exception {
        file = Files.writeString(dir.resolve("gateway.yml"), config(backend("a")));
        gatehouse = Gatehouse.start(new FileConfigSource(file, Duration.ofMillis(50)), ENV,
                config -> GatewayServer.start(config, StartOptions.defaults().threads(2)));
    }

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.shutdown(Duration.ZERO);
        }
        backends.forEach(NamedBackend::close);
    }

    @Test
    void savingTheFileAppliesIt() throws Exception {
        assertThat(who()).isEqualTo("a");

        Files.writeString(file, config(backend("b")));

        await().atMost(SEEN_WITHIN).until(this::who, "b"::equals);
        // Counted, then kept in the history, once install() returns: after the new config serves requests.
        await().atMost(SEEN_WITHIN).until(() -> !gatehouse.reloader().history().isEmpty());
        assertThat(reloads("applied")).isEqualTo(1.0);
        ReloadOutcome last = gatehouse.reloader().history().get(0);
        assertThat(last.trigger()).isEqualTo("file");
        assertThat(last.result()).isEqualTo(Result.APPLIED);
        assertThat(last.diff().summary()).startsWith("backends[route:who]: +127.0.0.1:");
    }

    @Test
    void anInvalidFileIsRejectedOnceAndTheRunningConfigKeepsServing() throws Exception {
        try (CapturedLogs logs = CapturedLogs.of(ConfigReloader.class)) {
            Files.writeString(file, config(backend("b")).replace("path_prefix: /who", "path_prefix: who"));

            await().atMost(SEEN_WITHIN).until(() -> reloads("rejected") == 1.0);
            assertThat(logs.messages(Level.WARN)).singleElement().asString()
                    .contains("routes[0].match.path_prefix: \"who\" (expected");
        }
        assertThat(who()).isEqualTo("a");
        assertThat(reloads("applied")).isZero();
    }

    @Test
    void theListenerPortCannotChangeOnReload() throws Exception {
        ReloadOutcome outcome = gatehouse.reloader()
                .apply(config(backend("b")) + "server: {host: 127.0.0.1}\n", "admin", false).get(10, TimeUnit.SECONDS);

        assertThat(outcome.result()).isEqualTo(Result.REJECTED);
        assertThat(outcome.errors()).singleElement().asString()
                .startsWith("server.host: 127.0.0.1 cannot change while running (expected: 0.0.0.0");
        assertThat(who()).isEqualTo("a");
    }

    @Test
    void http2CannotBeTurnedOffOnReload() throws Exception {
        ReloadOutcome outcome = gatehouse.reloader()
                .apply(config(backend("b")) + "server: {http2: {enabled: false}}\n", "admin", false)
                .get(10, TimeUnit.SECONDS);

        assertThat(outcome.result()).isEqualTo(Result.REJECTED);
        assertThat(outcome.errors()).singleElement().asString()
                .startsWith("server.http2.enabled: false cannot change while running (expected: true");
    }

    @Test
    void anInvalidSourceStartsNothing() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.yml"), "routes: []\nservr: {}\n");

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> Gatehouse.start(new FileConfigSource(broken), ENV, GatewayServer::start))
                .satisfies(e -> assertThat(e.errors()).anyMatch(error -> error.startsWith("servr: unknown key")));
    }

    @Test
    void openStartsFromAFileLocation() throws Exception {
        Gatehouse opened = Gatehouse.open(file.toString(), ENV, StartOptions.defaults().threads(1));
        try {
            assertThat(opened.source().location()).isEqualTo(file.toString());
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + opened.server().port() + "/who")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("a");
        } finally {
            opened.shutdown(Duration.ZERO);
        }
    }

    @Test
    void aMalformedEtcdLocationIsAConfigError() {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> Gatehouse.open("etcd://127.0.0.1:2379", ENV, StartOptions.defaults()))
                .withMessageStartingWith("etcd://127.0.0.1:2379");
    }

    @Test
    void shutdownStopsWatchingTheFile() throws Exception {
        gatehouse.shutdown(Duration.ZERO);
        gatehouse = null;

        await().atMost(SEEN_WITHIN).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("gatehouse-config-watch") || t.getName().equals("gatehouse-reload")));
    }

    private String who() throws IOException, InterruptedException {
        return get("/who").body();
    }

    private double reloads(String result) throws IOException, InterruptedException {
        double value = PrometheusText.value(get("/metrics").body(), "gatehouse_config_reloads_total",
                "result=\"" + result + "\"");
        return Double.isNaN(value) ? 0 : value;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gatehouse.server().port() + path)).timeout(Duration.ofSeconds(5)).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String config(String backendUrl) {
        return """
                routes:
                  - id: who
                    match: {path_prefix: /who}
                    upstream: "%s"
                """.formatted(backendUrl);
    }

    private String backend(String name) throws IOException {
        NamedBackend backend = new NamedBackend(name);
        backends.add(backend);
        return backend.url();
    }
}
