package io.gatehouse.server;

import io.gatehouse.server.GatehouseProcesses.Child;
import io.gatehouse.server.KeepAliveLoad.Result;
import io.gatehouse.server.KeepAliveLoad.Sample;
import io.gatehouse.testing.NamedBackend;
import io.gatehouse.testing.PrometheusText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reload storm, end to end: the fat jar in its own process with paranoid leak detection, two real
 * backends that answer with their name, and keep-alive connections kept busy while 50 reloads alternate two valid
 * configs (sending {@code /who} to backend a, then to b, each as its own pool) and an invalid one. Half the reloads
 * are seen by the file watch (the config path is a link swapped the way a Kubernetes ConfigMap update does), half
 * are asked for with {@code kill -HUP} after the linked file was rewritten where the watch does not look.
 *
 * <p>Asserted: no request failed; every response came from the backend of the config in force when it was sent or
 * of one applied while it was in flight; each invalid config was rejected and each valid one applied (the metric);
 * no LEAK report. Printed: requests, reloads, and p99 during the storm against a run of the same length without
 * reloads.
 */
class ReloadStormIT {
    private static final int RELOADS = 50;
    private static final int CONNECTIONS = 8;
    /** Requests answered before measuring, so that both runs measure a compiled gateway. */
    private static final int WARM_UP_REQUESTS = 5_000;
    private static final Duration RELOAD_SEEN_WITHIN = Duration.ofSeconds(15);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<NamedBackend> backends = new ArrayList<>();

    @TempDir
    Path dir;

    private GatehouseProcesses processes;

    /** One reload: when it was asked for, when its outcome was seen in the metrics, and /who's backend after it. */
    private record Reload(long askedNanos, long seenNanos, String backendAfter) {}

    @BeforeAll
    static void jarIsBuilt() {
        GatehouseProcesses.assertJarIsBuilt();
    }

    @BeforeEach
    void start() {
        processes = new GatehouseProcesses(dir);
    }

    @AfterEach
    void stop() throws Exception {
        processes.close();
        backends.forEach(NamedBackend::close);
    }

    @Test
    void fiftyReloadsUnderLoadFailNoRequestAndLeakNothing() throws Exception {
        String a = backend("a");
        String b = backend("b");
        Map<String, String> configs = Map.of("a", config("a", a), "b", config("b", b),
                "invalid", config("a", a).replace("pool: a", "pool: nowhere"));
        Path versions = Files.createDirectory(dir.resolve("versions"));
        Path watched = Files.createDirectory(dir.resolve("etc"));
        Path configPath = watched.resolve("gateway.yml");
        Path target = Files.writeString(versions.resolve("v0.yml"), configs.get("a"));
        Files.createSymbolicLink(configPath, target);
        int port = GatehouseProcesses.freePort();
        Child gateway = processes.run(List.of("-Dio.netty.leakDetection.level=paranoid"),
                Map.of("GATEWAY_PORT", String.valueOf(port), "GATEHOUSE_ACCESS_LOG_LEVEL", "OFF"),
                "--config", configPath.toString());
        awaitReady(gateway, port);

        KeepAliveLoad warmUp = KeepAliveLoad.start(port, "/who", CONNECTIONS);
        await("warm-up").atMost(Duration.ofMinutes(2)).until(() -> warmUp.answered() >= WARM_UP_REQUESTS);
        assertThat(warmUp.stop().failures()).isEmpty();

        List<String> cycle = List.of("b", "invalid", "a");
        List<Reload> reloads = new ArrayList<>();
        String inForce = "a";
        int invalid = 0;
        long stormStart = System.nanoTime();
        KeepAliveLoad storm = KeepAliveLoad.start(port, "/who", CONNECTIONS);
        for (int i = 0; i < RELOADS; i++) {
            String next = cycle.get(i % cycle.size());
            long asked = System.nanoTime();
            if (i % 2 == 0) {
                target = swapLink(configPath, versions.resolve("v" + (i + 1) + ".yml"), configs.get(next));
            } else {
                replace(target, configs.get(next));
                hangUp(gateway);
            }
            int done = i + 1;
            await("reload " + done + " (" + next + ")").atMost(RELOAD_SEEN_WITHIN).pollInterval(Duration.ofMillis(20))
                    .until(() -> reloadsTotal(port, "applied") + reloadsTotal(port, "rejected") >= done);
            if (next.equals("invalid")) {
                invalid++;
            } else {
                inForce = next;
            }
            reloads.add(new Reload(asked, System.nanoTime(), inForce));
        }
        Result during = storm.stop();
        Duration stormLength = Duration.ofNanos(System.nanoTime() - stormStart);

        // The same number of requests on the same connections, without reloads.
        KeepAliveLoad quiet = KeepAliveLoad.start(port, "/who", CONNECTIONS);
        await("run without reloads").atMost(stormLength.multipliedBy(4).plusMinutes(1))
                .until(() -> quiet.answered() >= during.samples().size());
        Result without = quiet.stop();

        double applied = reloadsTotal(port, "applied");
        double rejected = reloadsTotal(port, "rejected");
        System.out.printf("reload storm: %d reloads (%d by file watch, %d by SIGHUP) in %.1f s over %d keep-alive"
                        + " connections: applied %.0f, rejected %.0f, unchanged %.0f%n", RELOADS, (RELOADS + 1) / 2,
                RELOADS / 2, stormLength.toMillis() / 1000.0, CONNECTIONS, applied, rejected,
                reloadsTotal(port, "unchanged"));
        System.out.printf("requests during the storm: sent %d, failed %d; p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                during.samples().size() + during.failures().size(), during.failures().size(),
                during.percentileMillis(50), during.percentileMillis(99), during.percentileMillis(100));
        System.out.printf("requests without reloads:  sent %d, failed %d; p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                without.samples().size() + without.failures().size(), without.failures().size(),
                without.percentileMillis(50), without.percentileMillis(99), without.percentileMillis(100));

        assertThat(during.failures()).as("failed requests during the storm").isEmpty();
        assertThat(without.failures()).isEmpty();
        assertThat(during.samples()).hasSizeGreaterThan(RELOADS);
        assertThat(rejected).as("every invalid config rejected").isEqualTo((double) invalid);
        assertThat(applied).as("every valid config applied").isEqualTo((double) (RELOADS - invalid));
        assertEveryAnswerCameFromABackendInForce(during.samples(), reloads);
        assertThat(without.samples()).extracting(Sample::body).containsOnly(inForce);
        String log = gateway.out() + gateway.err();
        assertThat(log).as("leak reports").doesNotContain("LEAK");
        assertThat(gateway.err()).contains("config reload rejected (trigger file)")
                .contains("config reload rejected (trigger signal)")
                .contains("routes[0].pool: unknown pool \"nowhere\"");
    }

    /**
     * The backend of the config in force when a request was sent (the last reload seen before), or of one applied
     * while it was in flight (a reload asked for before it was answered and seen after it was sent).
     */
    private static void assertEveryAnswerCameFromABackendInForce(List<Sample> samples, List<Reload> reloads) {
        for (Sample sample : samples) {
            Set<String> allowed = new HashSet<>();
            allowed.add("a");
            for (Reload reload : reloads) {
                if (reload.seenNanos() <= sample.sentNanos()) {
                    allowed.clear();
                    allowed.add(reload.backendAfter());
                } else if (reload.askedNanos() <= sample.answeredNanos()) {
                    allowed.add(reload.backendAfter());
                }
            }
            assertThat(sample.body()).as("backend of a request sent at %d ns", sample.sentNanos()).isIn(allowed);
        }
    }

    private static String config(String pool, String backendUrl) {
        return """
                pools:
                  %s:
                    backends: ["%s"]
                routes:
                  - id: who
                    match: {path_prefix: /who}
                    pool: %s
                """.formatted(pool, backendUrl, pool);
    }

    private String backend(String name) throws IOException {
        NamedBackend backend = new NamedBackend(name);
        backends.add(backend);
        return backend.url();
    }

    /** As a ConfigMap update: the new version written elsewhere, then a new link renamed over the config path. */
    private static Path swapLink(Path configPath, Path version, String yaml) throws IOException {
        Files.writeString(version, yaml);
        Path link = Files.createSymbolicLink(configPath.resolveSibling("..gateway.yml.tmp"), version);
        Files.move(link, configPath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return version;
    }

    /** Rewrites a version file atomically, in its own directory (which the gateway does not watch). */
    private static void replace(Path version, String yaml) throws IOException {
        Path next = Files.writeString(version.resolveSibling(version.getFileName() + ".next"), yaml);
        Files.move(next, version, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void hangUp(Child gateway) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(gateway.process().pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -HUP").isZero();
    }

    private void awaitReady(Child gateway, int port) {
        await("gateway ready").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .ignoreException(ConnectException.class)
                .untilAsserted(() -> {
                    assertThat(gateway.process().isAlive()).as("alive; stderr:%n%s", gateway.err()).isTrue();
                    assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
                });
    }

    private double reloadsTotal(int port, String result) throws IOException, InterruptedException {
        double value = PrometheusText.value(get(port, "/metrics").body(), "gatehouse_config_reloads_total",
                "result=\"" + result + "\"");
        return Double.isNaN(value) ? 0 : value;
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
