package io.gatehouse.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-member {@code etcd} (the Debian package etcd-server; ./test.sh installs it when missing) on free
 * client and peer ports with a temporary data directory. {@link #stop} and {@link #launch} simulate an outage: the
 * data and ports survive. {@link #close} stops it and deletes the directory.
 */
public final class EtcdServer implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofSeconds(20);

    private final int clientPort;
    private final int peerPort;
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private Process process;

    private EtcdServer(int clientPort, int peerPort, Path dir) {
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.dir = dir;
    }

    public static EtcdServer start() throws IOException, InterruptedException {
        EtcdServer server;
        // Both sockets open at once, so the two ports differ.
        try (ServerSocket client = new ServerSocket(0); ServerSocket peer = new ServerSocket(0)) {
            server = new EtcdServer(client.getLocalPort(), peer.getLocalPort(),
                    Files.createTempDirectory("gatehouse-etcd"));
        }
        server.launch();
        return server;
    }

    /** Starts etcd (again, after {@link #stop}) and waits until it reports itself healthy. */
    public void launch() throws IOException, InterruptedException {
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        process = new ProcessBuilder("etcd", "--name", "test", "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "test=" + peer, "--heartbeat-interval", "50", "--election-timeout", "500",
                "--logger", "zap", "--log-outputs", "stderr")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd.log").toFile()))
                .start();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("etcd exited: " + Files.readString(dir.resolve("etcd.log")));
            }
            if (healthy()) {
                return;
            }
            Thread.sleep(50); // the test thread, waiting for a child process to elect itself leader
        }
        throw new IOException("etcd was not healthy on " + client + " within " + START_LIMIT.toSeconds() + " s");
    }

    private boolean healthy() throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
                .timeout(Duration.ofSeconds(1)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"true\"");
        } catch (IOException notYet) {
            return false;
        }
    }

    /** {@code http://127.0.0.1:PORT}, the client URL. */
    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    /** {@code 127.0.0.1:PORT}, as written in an {@code etcd://} location. */
    public String authority() {
        return "127.0.0.1:" + clientPort;
    }

    /** {@code etcdctl put key} with {@code value} on its standard input, so any text goes through verbatim. */
    public void put(String key, String value) throws IOException, InterruptedException {
        etcdctl(value, "put", key);
    }

    public void delete(String key) throws IOException, InterruptedException {
        etcdctl("", "del", key);
    }

    /** The value of {@code key}, or null. */
    public String get(String key) throws IOException, InterruptedException {
        String out = etcdctl("", "get", "--print-value-only", key);
        return out.isEmpty() ? null : out.substring(0, out.length() - 1); // etcdctl ends the value with a newline
    }

    /** Runs etcdctl (the Debian package etcd-client) against this server; fails unless it exits 0. */
    public String etcdctl(String input, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints", endpoint()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("ETCDCTL_API", "3");
        Process etcdctl = builder.start();
        try (var stdin = etcdctl.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(etcdctl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!etcdctl.waitFor(10, TimeUnit.SECONDS) || etcdctl.exitValue() != 0) {
            throw new IOException("etcdctl " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** Stops the server, as an outage: its data stays for {@link #launch}. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        TempDirs.deleteRecursively(dir);
    }
}
