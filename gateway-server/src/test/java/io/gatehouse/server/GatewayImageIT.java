package io.gatehouse.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged gateway run with the image's default configuration (docker/config.yml), its backends pointed at
 * sample services on this machine through the variables compose leaves unset: every metric the Grafana
 * dashboard and the alert rules use is in its {@code /metrics}, the probe paths of the Kubernetes Deployment
 * answer, and the Dockerfile's HEALTHCHECK command reports it healthy.
 */
class GatewayImageIT {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static GatehouseProcesses processes;
    private static int port;

    @BeforeAll
    static void startGatewayWithTheImagesConfig() throws Exception {
        GatehouseProcesses.assertJarIsBuilt();
        processes = new GatehouseProcesses(dir);
        int users1 = GatehouseProcesses.freePort();
        int users2 = GatehouseProcesses.freePort();
        int inventory = GatehouseProcesses.freePort();
        port = GatehouseProcesses.freePort();
        processes.runSampleService("users", "--port", String.valueOf(users1), "--name", "users-1");
        processes.runSampleService("users", "--port", String.valueOf(users2), "--name", "users-2");
        processes.runSampleService("inventory", "--port", String.valueOf(inventory), "--name", "inventory-1");
        GatehouseProcesses.Child gateway = processes.run(Map.of("GATEWAY_PORT", String.valueOf(port),
                        "USERS_1_URL", "http://127.0.0.1:" + users1, "USERS_2_URL", "http://127.0.0.1:" + users2,
                        "INVENTORY_URL", "http://127.0.0.1:" + inventory),
                "--config", DeployFiles.DOCKER_CONFIG.toString());
        await("the gateway and its backends are up").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .untilAsserted(() -> {
                    assertThat(gateway.process().isAlive()).as("gateway running; stderr:%n%s", gateway.err()).isTrue();
                    assertThat(get("/users").statusCode()).isEqualTo(200);
                    assertThat(get("/inventory/1").statusCode()).isEqualTo(200);
                });
        assertThat(send(HttpRequest.newBuilder(uri("/inventory/1")).DELETE()).statusCode()).isEqualTo(401);
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        collectGarbage(gateway.process());
    }

    /**
     * The GC pause timers appear with the first collection, which a gateway this idle may not have had yet: ask it
     * for one, as {@code jcmd PID GC.run} does, and wait until its /metrics shows it.
     */
    private static void collectGarbage(Process gateway) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process gc = new ProcessBuilder(jcmd.toString(), String.valueOf(gateway.pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(dir.resolve("jcmd.txt").toFile()).start();
        assertThat(gc.waitFor(30, TimeUnit.SECONDS)).as("jcmd GC.run finished").isTrue();
        await("a GC pause in /metrics").atMost(Duration.ofSeconds(10))
                .until(() -> get("/metrics").body().contains("jvm_gc_pause_seconds_count"));
    }

    @AfterAll
    static void stop() throws Exception {
        processes.close();
    }

    @Test
    void everyMetricTheDashboardAndTheAlertRulesUseIsExposed() throws Exception {
        Set<String> exposed = sampleNames(get("/metrics").body());
        Set<String> recorded = new TreeSet<>(DeployFiles.recordedNames());
        Set<String> onFirstEvent = appearOnFirstEvent();
        Map<String, String> missing = new TreeMap<>();
        Map<String, String> queries = new TreeMap<>();
        DeployFiles.ruleExpressions().forEach((rule, expr) -> queries.put("alerts.yml " + rule, expr));
        DeployFiles.dashboardQueries().forEach((where, expr) -> queries.put("gatehouse.json " + where, expr));
        Set<String> used = new TreeSet<>();
        queries.forEach((where, expr) -> {
            for (String name : PromQlMetricNames.in(expr)) {
                used.add(name);
                if (!exposed.contains(name) && !recorded.contains(name) && !onFirstEvent.contains(name)) {
                    missing.merge(name, where, (a, b) -> a + ", " + b);
                }
            }
        });
        assertThat(missing).as("metrics used but not in /metrics (name: where)").isEmpty();
        assertThat(used).contains("gatehouse_requests_total", "gatehouse_request_duration_seconds_bucket",
                "gatehouse_backend_healthy", "jvm_memory_used_bytes");
    }

    /**
     * The names the metric catalogue (docs/observability.md) says appear with their first event, such as a route's
     * first retry or bulkhead refusal: real names, which this gateway's few requests may not have produced.
     */
    private static Set<String> appearOnFirstEvent() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String row : Files.readAllLines(DeployFiles.ROOT.resolve("docs/observability.md"))) {
            if (row.startsWith("| `") && row.contains("appears with")) {
                String name = row.substring(3, row.indexOf('`', 3));
                for (String suffix : List.of("", "_bucket", "_count", "_sum")) { // a histogram's series, in PromQL
                    names.add(name + suffix);
                }
            }
        }
        return names;
    }

    @Test
    void theDeploymentsProbePathsAnswer() throws Exception {
        JsonNode container = DeployFiles.yaml("deploy/k8s/deployment.yaml")
                .path("spec").path("template").path("spec").path("containers").path(0);
        for (String probe : List.of("livenessProbe", "readinessProbe")) {
            String path = container.path(probe).path("httpGet").path("path").asText();
            assertThat(get(path).statusCode()).as(probe + " " + path).isEqualTo(200);
        }
    }

    @Test
    void theImagesHealthCheckCommandSeesTheGatewayHealthyAndANonListeningPortNot() throws Exception {
        List<String> command = Dockerfile.read().healthcheckCommand();
        assertThat(run(command, port)).as("exit status with the gateway on its port").isZero();
        assertThat(run(command, processes.refusedPort())).as("exit status with nothing listening").isNotZero();
    }

    private static int run(List<String> command, int gatewayPort) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("healthcheck-" + gatewayPort + ".txt").toFile());
        builder.environment().put("GATEWAY_PORT", String.valueOf(gatewayPort));
        Process process = builder.start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("health check finished").isTrue();
        return process.exitValue();
    }

    /** The metric name of every sample line of a Prometheus text exposition. */
    private static Set<String> sampleNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
