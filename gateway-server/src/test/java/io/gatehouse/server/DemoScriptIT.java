package io.gatehouse.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./demo.sh} run by bash as a user runs it, on free ports (its {@code *_PORT} variables). Most cases put
 * stand-ins for {@code java} and {@code mvn} first on the PATH, which only note that they ran, so they start
 * no JVM; one runs the real demo from the packaged jars (hence an integration test, after {@code package}).
 */
class DemoScriptIT {
    /** Maven runs the tests with the module directory as the working directory. */
    private static final Path DEMO = Path.of("..", "demo.sh");
    private static final List<String> PORT_VARS = List.of("USERS_1_PORT", "USERS_2_PORT", "INVENTORY_PORT", "GATEWAY_PORT",
            "ADMIN_PORT");

    @TempDir
    Path dir;

    private final List<Process> demos = new ArrayList<>();
    private final List<ServerSocket> held = new ArrayList<>();

    @AfterEach
    void cleanUp() throws IOException, InterruptedException {
        for (Process demo : demos) {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        for (ServerSocket socket : held) {
            socket.close();
        }
    }

    /** One run of demo.sh, its output in files like a gateway child's. */
    private GatehouseProcesses.Child runDemo(Map<String, String> env) throws IOException {
        int n = demos.size();
        Path stdout = dir.resolve("demo-" + n + ".out");
        Path stderr = dir.resolve("demo-" + n + ".err");
        ProcessBuilder builder = new ProcessBuilder("bash", DEMO.toString())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().remove("SKIP_BUILD");
        builder.environment().putAll(env);
        Process process = builder.start();
        demos.add(process);
        return new GatehouseProcesses.Child(process, stdout, stderr);
    }

    /** The demo's four port variables, each set to a port that was free a moment ago. */
    private static Map<String, String> freePorts() throws IOException {
        Map<String, String> ports = new LinkedHashMap<>();
        for (String var : PORT_VARS) {
            try (ServerSocket socket = new ServerSocket(0)) {
                ports.put(var, String.valueOf(socket.getLocalPort()));
            }
        }
        return ports;
    }

    /** A listener on {@code port} of every address, as another demo would hold it. */
    private void hold(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(port));
        held.add(socket);
    }

    private Path calls() {
        return dir.resolve("calls.txt");
    }

    /**
     * The environment of a run with stand-in {@code java} and {@code mvn} first on the PATH: each appends its
     * name and arguments to {@link #calls()}, then runs {@code javaBody} (java) or exits 0 (mvn).
     */
    private Map<String, String> withStandIns(Map<String, String> ports, String javaBody) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        standIn(bin.resolve("java"), "java", javaBody);
        standIn(bin.resolve("mvn"), "mvn", "exit 0");
        Map<String, String> env = new HashMap<>(ports);
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("STAND_IN_CALLS", calls().toString());
        return env;
    }

    private static void standIn(Path file, String name, String body) throws IOException {
        Files.writeString(file, "#!/usr/bin/env bash\necho \"" + name + " $*\" >> \"$STAND_IN_CALLS\"\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"USERS_1_PORT", "USERS_2_PORT", "INVENTORY_PORT", "GATEWAY_PORT", "ADMIN_PORT"})
    void aBusyPortIsNamedAndNothingIsBuiltOrStarted(String busyVar) throws Exception {
        Map<String, String> ports = freePorts();
        int busy = Integer.parseInt(ports.get(busyVar));
        hold(busy);

        GatehouseProcesses.Child demo = runDemo(withStandIns(ports, "exit 0"));

        assertThat(demo.awaitExit(Duration.ofSeconds(10))).isEqualTo(1);
        assertThat(demo.err()).startsWith("demo.sh: port " + busy + " (" + busyVar + ") is already in use");
        assertThat(demo.out()).doesNotContain("Gatehouse is up");
        assertThat(calls()).as("neither mvn nor java ran").doesNotExist();
    }

    @Test
    void aProcessThatDiesWhileStartingStopsTheDemo() throws Exception {
        GatehouseProcesses.Child demo = runDemo(withStandIns(freePorts(), "echo \"stand-in java: cannot start\" >&2; exit 3"));

        assertThat(demo.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
        assertThat(demo.err()).contains("stand-in java: cannot start",
                "demo.sh: users-1 exited while starting (status 3), see its message above");
        assertThat(demo.out()).doesNotContain("Gatehouse is up");
    }

    @Test
    void aPortAnsweredBySomethingElseIsNotMistakenForTheDemo() throws Exception {
        Map<String, String> ports = freePorts();
        // Stand-ins that live but never listen; once the three services run, this test takes the ports, as
        // another program starting at the same moment could have.
        GatehouseProcesses.Child demo = runDemo(withStandIns(ports, "exec sleep 60"));
        await("the three services started").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(calls())
                        && Files.readAllLines(calls()).stream().filter(call -> call.startsWith("java ")).count() >= 3);
        for (String port : ports.values()) {
            hold(Integer.parseInt(port));
        }

        assertThat(demo.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
        assertThat(demo.err()).contains("demo.sh: port " + ports.get("USERS_1_PORT")
                + " answers, but not from users-1");
        assertThat(demo.out()).doesNotContain("Gatehouse is up");
    }

    @Test
    void theRealDemoServesOnItsPortsAndStopsEverythingWhenOneProcessDies() throws Exception {
        Map<String, String> ports = freePorts();
        Map<String, String> env = new HashMap<>(ports);
        env.put("SKIP_BUILD", "1");
        GatehouseProcesses.Child demo = runDemo(env);
        int gatewayPort = Integer.parseInt(ports.get("GATEWAY_PORT"));

        await("Gatehouse is up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    assertThat(demo.process().isAlive()).as("demo.sh alive; stderr:%n%s", demo.err()).isTrue();
                    assertThat(demo.out()).contains("Gatehouse is up on http://localhost:" + gatewayPort);
                });
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> users = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gatewayPort + "/users")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(users.statusCode()).as(users.body()).isEqualTo(200);
        assertThat(users.headers().firstValue("X-Served-By")).hasValueSatisfying(
                name -> assertThat(name).isIn("users-1", "users-2"));
        String admin = "http://127.0.0.1:" + ports.get("ADMIN_PORT");
        assertThat(demo.out()).contains("dashboard: " + admin + "/  (token: demo-admin-token-change-me)");
        HttpResponse<String> dashboard = client.send(HttpRequest.newBuilder(URI.create(admin + "/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(dashboard.body()).contains("dashboard.js");
        HttpResponse<String> routes = client.send(HttpRequest.newBuilder(URI.create(admin + "/admin/routes"))
                        .header("Authorization", "Bearer demo-admin-token-change-me")
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(routes.statusCode()).as(routes.body()).isEqualTo(200);
        assertThat(routes.body()).contains("\"users\"");

        ProcessHandle users2 = demo.process().descendants()
                .filter(child -> child.info().commandLine().orElse("").contains("--name users-2"))
                .findFirst().orElseThrow();
        users2.destroy();

        assertThat(demo.awaitExit(Duration.ofSeconds(30))).isNotZero();
        assertThat(demo.err()).contains("demo.sh: users-2 (pid " + users2.pid() + ") exited; stopping the demo");
        for (String port : ports.values()) {
            assertThat(refuses(Integer.parseInt(port))).as("port %s released", port).isTrue();
        }
    }

    private static boolean refuses(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return false;
        } catch (ConnectException refused) {
            return true;
        }
    }
}
