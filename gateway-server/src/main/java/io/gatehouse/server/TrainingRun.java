package io.gatehouse.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code java -XX:ArchiveClassesAtExit=gatehouse.jsa -jar gatehouse.jar --train}: starts a gateway with the built-in
 * {@code training.yml} against a backend of its own, sends the requests a first user sends (through a pool with
 * retries, an API key, CORS, the built-in endpoints), then stops. The JVM then writes the classes the run loaded
 * into the class-data-sharing archive, and a gateway started with {@code -XX:SharedArchiveFile=gatehouse.jsa}
 * maps them instead of loading them from the jar. Everything stays on loopback, on ports the system picks.
 */
final class TrainingRun {
    private static final Duration FIRST_200_WITHIN = Duration.ofSeconds(30);
    private static final String API_KEY = "training-key-0123456789";
    /** The requests after the first proxied 200: each takes a path through the gateway a real start may take. */
    private static final List<String> REQUESTS = List.of(
            "POST /users HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"name\":\"a\"}\n",
            "DELETE /inventory/1 HTTP/1.1\r\n\r\n",
            "DELETE /inventory/1 HTTP/1.1\r\nX-API-Key: " + API_KEY + "\r\n\r\n",
            "OPTIONS /users HTTP/1.1\r\nOrigin: http://localhost:3000\r\nAccess-Control-Request-Method: PUT\r\n\r\n",
            "GET /nowhere HTTP/1.1\r\n\r\n",
            "GET /healthz HTTP/1.1\r\n\r\n",
            "GET /readyz HTTP/1.1\r\n\r\n",
            "GET /metrics HTTP/1.1\r\n\r\n");

    private TrainingRun() {}

    /** Runs the training; returns the exit status: 0, or 1 when the gateway never proxied a 200. */
    static int run() throws InterruptedException {
        try (TrainingBackend backend = new TrainingBackend()) {
            Path config = writeConfig();
            try {
                Gatehouse gatehouse = Gatehouse.open(config.toString(),
                        Map.of("TRAINING_BACKEND_PORT", String.valueOf(backend.port())),
                        StartOptions.defaults().accessLogOut(OutputStream.nullOutputStream()));
                try {
                    return exercise(gatehouse.server().port());
                } finally {
                    gatehouse.shutdown(Duration.ZERO);
                }
            } finally {
                deleteQuietly(config);
            }
        }
    }

    private static int exercise(int port) throws InterruptedException {
        if (!awaitFirst200(port)) {
            System.err.println("gatehouse: training: no 200 from GET /users within " + FIRST_200_WITHIN);
            return Main.EXIT_INVALID;
        }
        for (String request : REQUESTS) {
            send(port, request);
        }
        System.err.println("gatehouse: training run done");
        return Main.EXIT_OK;
    }

    private static boolean awaitFirst200(int port) throws InterruptedException {
        long deadline = System.nanoTime() + FIRST_200_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (send(port, "GET /users/1 HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 200")) {
                return true;
            }
            Thread.sleep(20); // the backend's first health check, at most; not a test, a build step
        }
        return false;
    }

    /** Sends one request with {@code Connection: close}; returns the response's status line, or "" on failure. */
    private static String send(int port, String request) {
        String head = request.substring(0, request.indexOf("\r\n") + 2);
        String rest = request.substring(head.length());
        String message = head + "Host: 127.0.0.1\r\nConnection: close\r\n" + rest;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(message.getBytes(StandardCharsets.US_ASCII));
            byte[] response = socket.getInputStream().readAllBytes();
            String text = new String(response, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n");
            return end < 0 ? "" : text.substring(0, end);
        } catch (IOException e) {
            return "";
        }
    }

    private static Path writeConfig() {
        try (InputStream yaml = Objects.requireNonNull(TrainingRun.class.getResourceAsStream("training.yml"),
                "training.yml")) {
            Path file = Files.createTempFile("gatehouse-training", ".yml");
            Files.write(file, yaml.readAllBytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("training: cannot write its configuration", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file: the system cleans it up
        }
    }
}
