package io.gatehouse.samples;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * One running sample service on the JDK's built-in HTTP server, bound to 0.0.0.0.
 * Each instance has its own freshly seeded in-memory data.
 *
 * <pre>{@code
 * try (SampleServer users = SampleServer.start(ServiceKind.USERS, "users-1", 0)) {
 *     URI base = URI.create("http://127.0.0.1:" + users.port());
 *     ...
 * }
 * }</pre>
 */
public final class SampleServer implements AutoCloseable {

    /** Allowed service names (they are sent back verbatim in {@code X-Served-By}). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String HOST = "0.0.0.0";
    private static final int THREADS = 8;
    private static final long EXECUTOR_STOP_SECONDS = 5;

    static {
        // The JDK server writes head and body separately; without TCP_NODELAY, Nagle plus delayed ACKs add
        // ~40 ms to every keep-alive response. Read once when the JDK's server classes load, so set it first.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final ServiceKind kind;
    private final String name;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private SampleServer(ServiceKind kind, String name, HttpServer server, ExecutorService executor) {
        this.kind = kind;
        this.name = name;
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts a service on {@code 0.0.0.0:port}; pass port 0 for an ephemeral port and read it back with {@link #port()}.
     *
     * @throws IOException              if the port cannot be bound (a {@link BindException} naming the address)
     * @throws IllegalArgumentException if the name or port is invalid
     */
    public static SampleServer start(ServiceKind kind, String name, int port) throws IOException {
        Objects.requireNonNull(kind, "kind");
        if (!isValidName(name)) {
            throw new IllegalArgumentException("invalid service name: must match " + NAME.pattern());
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        HttpServer server = listen(port);
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, threadFactory(name));
        server.setExecutor(executor);
        server.createContext("/", new Dispatcher(name, new ResourceRouter(kind.newResource())));
        server.start();
        return new SampleServer(kind, name, server, executor);
    }

    /** Binds {@code 0.0.0.0:port}; a failure names the address: {@code cannot listen on 0.0.0.0:9001: address already in use}. */
    private static HttpServer listen(int port) throws IOException {
        try {
            return HttpServer.create(new InetSocketAddress(HOST, port), 0);
        } catch (BindException e) {
            String reason = e.getMessage() == null ? "address already in use" : e.getMessage();
            BindException named = new BindException("cannot listen on " + HOST + ":" + port + ": "
                    + Character.toLowerCase(reason.charAt(0)) + reason.substring(1));
            named.initCause(e);
            throw named;
        }
    }

    /** Starts a service under its default name ({@link ServiceKind#command()}). */
    public static SampleServer start(ServiceKind kind, int port) throws IOException {
        return start(kind, kind.command(), port);
    }

    /** Whether {@code name} is acceptable as a service name. */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The port actually bound (useful after starting on port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    public String name() {
        return name;
    }

    public ServiceKind kind() {
        return kind;
    }

    /** Stops accepting requests, closes connections and releases the worker threads. Idempotent. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(EXECUTOR_STOP_SECONDS, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static ThreadFactory threadFactory(String name) {
        AtomicInteger counter = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-http-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
