package io.gatehouse.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (the Debian package; ./test.sh installs it when missing) on a free port, without
 * persistence, for the tests of the Redis-backed rate limits.
 */
public final class RedisServer implements AutoCloseable {
    private final int port;
    private final Path dir;
    private Process process;

    private RedisServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    public static RedisServer start() throws IOException, InterruptedException {
        RedisServer server = notStarted();
        server.launch();
        return server;
    }

    /** A server with its port chosen but not running yet, for tests of a Redis that comes up late. */
    public static RedisServer notStarted() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return new RedisServer(port, Files.createTempDirectory("gatehouse-redis"));
    }

    public void launch() throws IOException, InterruptedException {
        process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
                }
                Thread.sleep(20); // the test thread, waiting for a child process to listen
            }
        }
        throw new IOException("redis-server did not listen on " + port + " within 10 s");
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops the server, as an outage. */
    public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    /** Stops the server and deletes its directory. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        TempDirs.deleteRecursively(dir);
    }
}
