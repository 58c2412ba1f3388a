package io.gatehouse.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import io.gatehouse.testing.PatternStream;
import io.gatehouse.testing.TestGateway;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Shared setup of the resilience integration tests: pool {@code users} of scripted MockWebServer backends behind
 * the catch-all route {@code r}, clients, and the metric labels of a backend. Holds no tests itself.
 */
final class ResilienceFixtures {
    static final String POOL = "users";
    static final String ROUTE = "r";
    /** The header every scripted backend adds to its answers, so the client sees which backend answered. */
    static final String SERVED_BY = "X-Served-By";
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private ResilienceFixtures() {}

    /** How a scripted backend answers one request; may block (MockWebServer runs it on its own thread). */
    @FunctionalInterface
    interface Script {
        MockResponse.Builder answer(RecordedRequest request) throws InterruptedException;
    }

    /**
     * Pool {@code users} (round robin over loopback {@code ports}) and route {@code r} matching every path.
     *
     * @param poolKeys  further pool keys as YAML lines at column 0 (indented here), or ""
     * @param routeKeys further route keys as YAML lines at column 0 (indented here), or ""
     */
    static String config(String poolKeys, String routeKeys, int... ports) {
        StringBuilder yaml = new StringBuilder("pools:\n  users:\n    strategy: round_robin\n    backends:\n");
        for (int port : ports) {
            yaml.append("      - url: \"http://127.0.0.1:").append(port).append("\"\n");
        }
        yaml.append(poolKeys.stripIndent().indent(4));
        yaml.append("routes:\n  - id: r\n    match: {path_prefix: /}\n    pool: users\n");
        yaml.append(routeKeys.stripIndent().indent(4));
        return yaml.toString();
    }

    /** A started backend answering every request through {@code script}, tagged with {@code X-Served-By: name}. */
    static MockWebServer backend(String name, Script script) throws IOException {
        return backend(name, 0, script);
    }

    /** As {@link #backend(String, Script)}, on loopback {@code port} (0 for any free one), e.g. to restart one. */
    static MockWebServer backend(String name, int port, Script script) throws IOException {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                return script.answer(request).setHeader(SERVED_BY, name).build();
            }
        });
        server.start(port);
        return server;
    }

    static MockResponse.Builder reply(int code, String body) {
        return new MockResponse.Builder().code(code).body(body);
    }

    /** The backend reads the whole request, then closes the connection without a byte of response. */
    static MockResponse.Builder resetAfterReadingRequest() {
        return reply(200, "never sent").onResponseStart(SocketEffect.ShutdownConnection.INSTANCE);
    }

    /** {@code backend="127.0.0.1:PORT"}: the metric label of a loopback backend. */
    static String backendLabel(MockWebServer backend) {
        return backendLabel(backend.getPort());
    }

    static String backendLabel(int port) {
        return "backend=\"127.0.0.1:" + port + "\"";
    }

    static String poolLabel() {
        return "pool=\"" + POOL + "\"";
    }

    static String routeLabel() {
        return "route=\"" + ROUTE + "\"";
    }

    /** The requests all {@code backends} have received so far. */
    static int requestsAt(MockWebServer... backends) {
        int total = 0;
        for (MockWebServer backend : backends) {
            total += backend.getRequestCount();
        }
        return total;
    }

    /** A port nothing listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** {@code length} bytes of a recognisable, non-repeating-looking pattern. */
    static byte[] pattern(int length) throws IOException {
        try (PatternStream in = new PatternStream(length)) {
            return in.readAllBytes();
        }
    }

    /** A request through the gateway that gives up after 5 s, so a missing timeout fails a test quickly. */
    static HttpRequest.Builder request(TestGateway gateway, String path) {
        return HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(5));
    }

    static HttpResponse<String> get(TestGateway gateway, String path) throws IOException, InterruptedException {
        return CLIENT.send(request(gateway, path).build(), HttpResponse.BodyHandlers.ofString());
    }

    static CompletableFuture<HttpResponse<String>> getAsync(TestGateway gateway, String path) {
        return CLIENT.sendAsync(request(gateway, path).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST of {@code body} with a Content-Length, or chunked (the JDK client chunks a body of unknown length). */
    static HttpResponse<String> post(TestGateway gateway, String path, byte[] body, boolean chunked)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        return CLIENT.send(request(gateway, path).POST(publisher).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A counter's value, 0 while it has not been registered (no sample yet). */
    static double count(TestGateway gateway, String name, String... labels) {
        double value = gateway.metric(name, labels);
        return Double.isNaN(value) ? 0 : value;
    }

    /** Asserts the backends together got exactly {@code expected} requests, and no more for a while after. */
    static void assertRequestsStay(int expected, MockWebServer... backends) {
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(requestsAt(backends)).as("requests at the backends").isEqualTo(expected));
    }

    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /**
     * Shared by several backends: the first request that reaches any of them is answered by {@code first} (a
     * failure, or a hold), every other one with 200 {@code "ok from NAME"}; remembers which backend took the first.
     */
    static final class FirstRequest {
        private final AtomicReference<String> takenBy = new AtomicReference<>();
        private final Script first;

        FirstRequest(Script first) {
            this.first = first;
        }

        Script at(String name) {
            return request -> takenBy.compareAndSet(null, name) ? first.answer(request) : reply(200, "ok from " + name);
        }

        /** The name of the backend that got the first request, or null before it. */
        String takenBy() {
            return takenBy.get();
        }

        /** The name of the other one of two backends named "a" and "b". */
        String other() {
            String taken = takenBy();
            assertThat(taken).as("the backend that got the first request").isIn("a", "b");
            return taken.equals("a") ? "b" : "a";
        }
    }

    /**
     * Holds backend threads until released, at the latest when the test closes it. Backends whose scripts use it
     * are started through {@link #backend} so that closing releases them first: a MockWebServer closes only once its
     * threads are done.
     */
    static final class Hold implements AutoCloseable {
        private final CountDownLatch released = new CountDownLatch(1);
        private final List<MockWebServer> backends = new CopyOnWriteArrayList<>();

        /** A started backend like {@link ResilienceFixtures#backend}, closed by {@link #close()} after the release. */
        MockWebServer backend(String name, Script script) throws IOException {
            MockWebServer backend = ResilienceFixtures.backend(name, script);
            backends.add(backend);
            return backend;
        }

        /** Blocks the calling backend thread until {@link #release()}, then answers 200 with {@code body}. */
        MockResponse.Builder thenReply(String body) throws InterruptedException {
            released.await(10, TimeUnit.SECONDS);
            return reply(200, body);
        }

        void release() {
            released.countDown();
        }

        @Override
        public void close() {
            release();
            backends.forEach(MockWebServer::close);
        }
    }
}
