package io.gatehouse.proxy;

import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.TestConfigs;
import io.gatehouse.testing.TestGateway;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a client sees when the backend misbehaves: refused and reset connections, slow and truncated responses,
 * stale pooled connections, a full connection pool and a pool without healthy backends.
 */
class UpstreamFailureTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private static final int ONE_MIB = 1024 * 1024;

    @Test
    void refusedConnectionAnswers502BadGateway() throws Exception {
        try (TestGateway gateway = TestGateway.start(directRoute(closedPort(), "2s"))) {
            HttpResponse<String> response = gateway.get("/refused");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(response.body()).contains("\"error\":\"bad_gateway\"");
        }
    }

    static Stream<Arguments> closesBeforeHeaders() {
        return Stream.of(
                Arguments.of("closed right after accept",
                        new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket())),
                Arguments.of("closed after reading the request",
                        new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)),
                Arguments.of("output shut down after reading the request",
                        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket(false, false, true))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("closesBeforeHeaders")
    void backendClosingAFreshConnectionBeforeHeadersAnswers502WithoutRetry(String name, MockResponse.Builder reply)
            throws Exception {
        try (MockWebServer backend = started()) {
            backend.enqueue(reply.code(200).body("never sent").build());
            // A retry would find no scripted answer and hang until the route timeout; 502 must come at once.
            try (TestGateway gateway = TestGateway.start(directRoute(backend.getPort(), "3s"))) {
                long start = System.nanoTime();
                HttpResponse<String> response = gateway.get("/reset");

                assertThat(response.statusCode()).isEqualTo(502);
                assertThat(response.body()).contains("\"error\":\"bad_gateway\"");
                assertThat(millisSince(start)).isLessThan(1500);
            }
        }
    }

    @Test
    void slowBackendAnswers504AndItsConnectionIsNotReused() throws Exception {
        try (MockWebServer backend = started()) {
            backend.enqueue(ok("too late").headersDelay(2, TimeUnit.SECONDS).build());
            backend.enqueue(ok("fresh").build());
            try (TestGateway gateway = TestGateway.start(directRoute(backend.getPort(), "300ms"));
                 RawHttp client = new RawHttp(gateway.port())) {
                long start = System.nanoTime();
                String timedOut = client.send(get("/slow")).readResponse();
                long elapsed = millisSince(start);

                assertThat(statusOf(timedOut)).isEqualTo(504);
                assertThat(timedOut).contains("\"error\":\"gateway_timeout\"");
                assertThat(elapsed).isBetween(250L, 1000L);

                // Same client connection, so the same event loop and the same upstream connection pool.
                String next = client.send(get("/next")).readResponse();
                assertThat(statusOf(next)).isEqualTo(200);
                assertThat(next).endsWith("fresh");

                RecordedRequest slow = backend.takeRequest(1, TimeUnit.SECONDS);
                RecordedRequest fresh = backend.takeRequest(1, TimeUnit.SECONDS);
                assertThat(slow.getTarget()).isEqualTo("/slow");
                assertThat(fresh.getTarget()).isEqualTo("/next");
                assertThat(fresh.getConnectionIndex())
                        .as("the timed-out upstream connection must be closed, not pooled")
                        .isNotEqualTo(slow.getConnectionIndex());
            }
        }
    }

    @Test
    void backendDyingMidBodyIsVisibleToTheClientAsATruncatedResponse() throws Exception {
        try (MockWebServer backend = started()) {
            backend.enqueue(new MockResponse.Builder()
                    .code(200)
                    .body(new Buffer().write(new byte[ONE_MIB]))
                    .throttleBody(64 * 1024, 10, TimeUnit.MILLISECONDS)
                    .onResponseBody(new SocketEffect.CloseSocket()) // after half of the body
                    .build());
            try (TestGateway gateway = TestGateway.start(directRoute(backend.getPort(), "5s"));
                 RawHttp client = new RawHttp(gateway.port())) {
                long start = System.nanoTime();
                String received = client.send(get("/big")).readUntilClose();

                assertThat(millisSince(start)).as("the connection must end, not idle until a timeout")
                        .isLessThan(5000);
                int headEnd = received.indexOf("\r\n\r\n");
                assertThat(headEnd).as("response head").isPositive();
                assertThat(statusOf(received)).isEqualTo(200);
                assertThat(received.substring(0, headEnd).toLowerCase())
                        .contains("content-length: " + ONE_MIB);
                assertThat(received.length() - headEnd - 4)
                        .as("body bytes before the connection ended")
                        .isLessThan(ONE_MIB);
            }
        }
    }

    @Test
    void stalePooledConnectionIsRetriedOnceOnAFreshConnectionForAGet() throws Exception {
        try (MockWebServer backend = started()) {
            backend.enqueue(ok("one").build());
            backend.enqueue(closedWithoutResponse());
            backend.enqueue(ok("three").build());
            try (TestGateway gateway = TestGateway.start(directRoute(backend.getPort(), "3s"));
                 RawHttp client = new RawHttp(gateway.port())) {
                assertThat(client.send(get("/first")).readResponse()).endsWith("one");

                String second = client.send(get("/second")).readResponse();
                assertThat(statusOf(second)).isEqualTo(200);
                assertThat(second).endsWith("three");

                RecordedRequest first = backend.takeRequest(1, TimeUnit.SECONDS);
                RecordedRequest stale = backend.takeRequest(1, TimeUnit.SECONDS);
                RecordedRequest retry = backend.takeRequest(1, TimeUnit.SECONDS);
                assertThat(stale.getTarget()).isEqualTo("/second");
                assertThat(stale.getConnectionIndex()).as("pooled connection reused")
                        .isEqualTo(first.getConnectionIndex());
                assertThat(retry.getTarget()).isEqualTo("/second");
                assertThat(retry.getConnectionIndex()).as("retry on a fresh connection")
                        .isNotEqualTo(stale.getConnectionIndex());
                assertThat(backend.takeRequest(200, TimeUnit.MILLISECONDS)).as("retried only once").isNull();
            }
        }
    }

    @Test
    void stalePooledConnectionIsNotRetriedForAPostWithABody() throws Exception {
        try (MockWebServer backend = started()) {
            backend.enqueue(ok("one").build());
            backend.enqueue(closedWithoutResponse());
            backend.enqueue(ok("must not be reached").build());
            try (TestGateway gateway = TestGateway.start(directRoute(backend.getPort(), "3s"));
                 RawHttp client = new RawHttp(gateway.port())) {
                assertThat(client.send(get("/first")).readResponse()).endsWith("one");

                String post = client.send("POST /orders HTTP/1.1\r\nHost: gw\r\nContent-Length: 5\r\n\r\nhello")
                        .readResponse();
                assertThat(statusOf(post)).isEqualTo(502);
                assertThat(post).contains("\"error\":\"bad_gateway\"");

                RecordedRequest first = backend.takeRequest(1, TimeUnit.SECONDS);
                RecordedRequest stale = backend.takeRequest(1, TimeUnit.SECONDS);
                assertThat(stale.getMethod()).isEqualTo("POST");
                assertThat(stale.getBody().utf8()).isEqualTo("hello");
                assertThat(stale.getConnectionIndex()).isEqualTo(first.getConnectionIndex());
                assertThat(backend.takeRequest(300, TimeUnit.MILLISECONDS)).as("the POST must not be retried")
                        .isNull();
                assertThat(backend.getRequestCount()).isEqualTo(2);
            }
        }
    }

    @Test
    void fullPoolWithoutWaitQueueAnswers503UpstreamBusyAndNothingHangs() throws Exception {
        int clients = 8;
        CountDownLatch release = new CountDownLatch(1);
        try (MockWebServer backend = started()) {
            backend.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                    release.await(5, TimeUnit.SECONDS); // hold every request that gets through
                    return ok("slow").build();
                }
            });
            try (TestGateway gateway = TestGateway.start(TestConfigs.usersPool("""
                    max_connections: 1
                        max_pending_acquires: 0""", "5s", backend.getPort()))) {
                List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, clients)
                        .mapToObj(i -> CLIENT.sendAsync(gateway.request("/busy/" + i),
                                HttpResponse.BodyHandlers.ofString()))
                        .toList();
                try {
                    // Each request is either answered at once or held by the backend; none may wait in the gateway.
                    await().atMost(Duration.ofSeconds(3)).until(() ->
                            responses.stream().filter(CompletableFuture::isDone).count()
                                    + backend.getRequestCount() == clients);
                    int held = backend.getRequestCount();
                    // max_connections is split over the gateway's 2 event loops: one connection each at most.
                    assertThat(held).isBetween(1, 2);
                    for (CompletableFuture<HttpResponse<String>> done : responses) {
                        if (done.isDone()) {
                            HttpResponse<String> busy = done.join();
                            assertThat(busy.statusCode()).isEqualTo(503);
                            assertThat(busy.body()).contains("\"error\":\"upstream_busy\"")
                                    .doesNotContain("127.0.0.1", String.valueOf(backend.getPort()));
                            assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
                        }
                    }
                } finally {
                    release.countDown();
                }
                CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(3, TimeUnit.SECONDS);
                assertThat(responses.stream().filter(r -> r.join().statusCode() == 200).count())
                        .isEqualTo(backend.getRequestCount());
            }
        }
    }

    @Test
    void poolWithEveryBackendDownAnswers503NoHealthyBackendAtOnce() throws Exception {
        int first = closedPort();
        int second = closedPort();
        try (TestGateway gateway = TestGateway.start(TestConfigs.usersPool("""
                health_check: {path: /healthz, interval: 100ms, timeout: 100ms, \
                healthy_threshold: 2, unhealthy_threshold: 2, expected_status: 200}""", "5s", first, second))) {
            await().atMost(Duration.ofSeconds(3)).until(() ->
                    gateway.backendHealthy("users", first) == 0 && gateway.backendHealthy("users", second) == 0);

            long start = System.nanoTime();
            HttpResponse<String> response = gateway.get("/anything");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("\"error\":\"no_healthy_backend\"").doesNotContain("users");
            assertThat(response.headers().firstValue("Retry-After")).as("the 100 ms probe interval, rounded up")
                    .hasValue("1");
            assertThat(millisSince(start)).as("well under the 5 s route timeout").isLessThan(1000);
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private static MockWebServer started() throws IOException {
        MockWebServer backend = new MockWebServer();
        backend.start(0);
        return backend;
    }

    private static MockResponse.Builder ok(String body) {
        return new MockResponse.Builder().code(200).body(body);
    }

    /** The backend reads the request, then closes the connection without a byte of response. */
    private static MockResponse closedWithoutResponse() {
        return ok("never sent").onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build();
    }

    /** A port nothing listens on. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String directRoute(int port, String timeout) {
        return """
                routes:
                  - id: r
                    match: {path_prefix: /}
                    upstream: "http://127.0.0.1:%d"
                    response_timeout: %s
                """.formatted(port, timeout);
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: gw\r\n\r\n";
    }

    private static int statusOf(String rawResponse) {
        assertThat(rawResponse).startsWith("HTTP/1.1 ");
        return Integer.parseInt(rawResponse.substring(9, 12));
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
