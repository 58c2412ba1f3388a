package io.gatehouse.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A keep-alive backend on a free loopback port that answers every request with 200 and its name, and
 * {@code /healthz} with a status the test sets (200 until then). It counts the probes it answered. Requests for
 * {@code /held} wait until {@link #release()}, to keep a request in flight.
 */
public final class NamedBackend implements AutoCloseable {
    private final String name;
    private final HttpServer server;
    private final AtomicInteger healthStatus = new AtomicInteger(200);
    private final AtomicInteger probes = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    public NamedBackend(String name) throws IOException {
        this(name, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** Listens on {@code address}, e.g. 127.0.0.2 and the port another backend has on 127.0.0.3. */
    public NamedBackend(String name, InetSocketAddress address) throws IOException {
        this.name = name;
        this.server = HttpServer.create(address, 64);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::answer);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT}, for a pool's {@code backends}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public void healthStatus(int status) {
        healthStatus.set(status);
    }

    /** Requests for {@code /held} that arrived so far. */
    public int held() {
        return held.get();
    }

    /** Lets the {@code /held} requests waiting, and every later one, be answered. */
    public void release() {
        release.countDown();
    }

    /** Health probes answered so far. */
    public int probes() {
        return probes.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        int status = 200;
        String body = name;
        if ("/held".equals(exchange.getRequestURI().getPath())) {
            held.incrementAndGet();
            awaitRelease();
        }
        if ("/healthz".equals(exchange.getRequestURI().getPath())) {
            probes.incrementAndGet();
            status = healthStatus.get();
            body = "health " + status;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void awaitRelease() {
        try {
            release.await(30, TimeUnit.SECONDS); // a server thread, bounded should a test forget to release
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
