package io.gatehouse.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged {@code gatehouse.jar} run as child processes, as {@code demo.sh} and operators run it, each with its
 * output in files under a test's directory. {@link #close} kills whatever is still running. For failsafe
 * integration tests ({@code *IT}): the jar does not exist yet in the {@code test} phase.
 */
final class GatehouseProcesses implements AutoCloseable {
    /** Maven runs the tests with the module directory as the working directory. */
    static final Path JAR = Path.of("..", "gateway-server", "target", "gatehouse.jar");
    /** Built by the sample-services module, which the reactor packages before this one. */
    static final Path SAMPLES_JAR = Path.of("..", "sample-services", "target", "sample-services.jar");
    /** Variables of the parent environment that would change what the child does. */
    private static final List<String> GATEHOUSE_ENV = List.of("GATEWAY_CONFIG", "GATEWAY_PORT", "USERS_1_PORT",
            "USERS_2_PORT", "INVENTORY_PORT", "GATEHOUSE_LOG_LEVEL", "GATEHOUSE_ACCESS_LOG_LEVEL", "JAVA_TOOL_OPTIONS");

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final List<Socket> reservedPorts = new ArrayList<>();

    /** One finished or running child: its process and the files its output goes to. */
    record Child(Process process, Path stdout, Path stderr) {
        String out() throws IOException {
            return Files.readString(stdout);
        }

        String err() throws IOException {
            return Files.readString(stderr);
        }

        int awaitExit(Duration limit) throws InterruptedException, IOException {
            assertThat(process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS))
                    .as("exited within %s; stdout:%n%s%nstderr:%n%s", limit, out(), err()).isTrue();
            return process.exitValue();
        }
    }

    /** @param dir where the children's output files go */
    GatehouseProcesses(Path dir) {
        this.dir = dir;
    }

    static void assertJarIsBuilt() {
        assertThat(JAR).as("the fat jar (mvn package builds it before failsafe runs)").isRegularFile();
    }

    /** Starts {@code java -jar gatehouse.jar args...} with a small heap and {@code env} added. */
    Child run(Map<String, String> env, String... args) throws IOException {
        return run(List.of(), env, args);
    }

    /** Starts {@code java jvmOptions... -jar gatehouse.jar args...} with a small heap and {@code env} added. */
    Child run(List<String> jvmOptions, Map<String, String> env, String... args) throws IOException {
        return start(JAR, jvmOptions, env, args);
    }

    /** Starts {@code java -jar sample-services.jar args...}, e.g. {@code users --port 0 --register etcd://...}. */
    Child runSampleService(String... args) throws IOException {
        return start(SAMPLES_JAR, List.of(), Map.of(), args);
    }

    private Child start(Path jar, List<String> jvmOptions, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        int n = processes.size();
        Path stdout = dir.resolve("stdout-" + n + ".txt");
        Path stderr = dir.resolve("stderr-" + n + ".txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        GATEHOUSE_ENV.forEach(builder.environment()::remove);
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return new Child(process, stdout, stderr);
    }

    /** A port nothing listens on until {@link #close}: bound, never listening, so connections are refused. */
    int refusedPort() throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress("127.0.0.1", 0));
        reservedPorts.add(socket);
        return socket.getLocalPort();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (Process process : processes) {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        for (Socket socket : reservedPorts) {
            socket.close();
        }
    }
}
