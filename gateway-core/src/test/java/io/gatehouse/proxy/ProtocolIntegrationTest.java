package io.gatehouse.proxy;

import io.gatehouse.testing.Reply;
import io.gatehouse.testing.PrometheusText;
import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.TestGateway;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.gatehouse.testing.MockBackends.assertBackendUntouched;
import static io.gatehouse.proxy.ProtocolFixtures.catchAll;
import static io.gatehouse.proxy.ProtocolFixtures.closedByGateway;
import static io.gatehouse.proxy.ProtocolFixtures.connect;
import static io.gatehouse.proxy.ProtocolFixtures.exchange;
import static io.gatehouse.proxy.ProtocolFixtures.gateway;
import static io.gatehouse.proxy.ProtocolFixtures.get;
import static io.gatehouse.proxy.ProtocolFixtures.proxied;
import static io.gatehouse.testing.MockBackends.received;
import static io.gatehouse.proxy.ProtocolFixtures.request;
import static io.gatehouse.proxy.ProtocolFixtures.route;
import static io.gatehouse.proxy.ProtocolFixtures.startBackend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** HTTP/1.1 as clients see it at the gateway: errors, built-ins, connection handling, framing, limits, timeouts. */
class ProtocolIntegrationTest {
    private static final String BODY_LIMIT_1KIB = "server: {limits: {max_body_bytes: 1KiB}}\n";

    @Test
    void unknownPathIs404RouteNotFound() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("", route("api", "path_prefix: /api", backend))) {
            Reply reply = exchange(gateway, get("/nope"));

            assertThat(reply.status()).as("%s", reply).isEqualTo(404);
            assertThat(reply.header("Content-Type")).startsWith("application/json");
            assertThat(reply.errorCode()).isEqualTo("route_not_found");
            String requestId = reply.header("X-Request-ID");
            assertThat(requestId).as("a generated request ID").matches("[0-9a-f]{32}");
            assertThat(reply.body()).contains("\"request_id\":\"" + requestId + "\"");
            assertBackendUntouched(backend);
        }
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("", route("items", "path_prefix: /items, methods: [GET, POST]", backend))) {
            Reply reply = exchange(gateway, request("DELETE", "/items/1"));

            assertThat(reply.status()).as("%s", reply).isEqualTo(405);
            assertThat(reply.header("Allow")).isNotNull();
            assertThat(reply.header("Allow").split(",\\s*")).containsExactlyInAnyOrder("GET", "HEAD", "POST");
            assertBackendUntouched(backend);
        }
    }

    @Test
    void clientRequestIdIsEchoedInErrorBodies() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("", route("api", "path_prefix: /api", backend))) {
            Reply reply = exchange(gateway, get("/nope", "X-Request-ID: abc-123"));

            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.body()).contains("\"request_id\":\"abc-123\"");
        }
    }

    @Test
    void builtInEndpointsAreAnsweredByTheGatewayEvenWithACatchAllRoute() throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend)) {
            Reply healthz = exchange(gateway, get("/healthz"));
            Reply readyz = exchange(gateway, get("/readyz"));
            Reply metrics = exchange(gateway, get("/metrics"));

            assertThat(healthz.status()).as("%s", healthz).isEqualTo(200);
            assertThat(readyz.status()).as("%s", readyz).isEqualTo(200);
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.header("Content-Type")).startsWith("text/plain");
            assertBackendUntouched(backend);
        }
    }

    @Test
    void metricsCountProxiedRequestsByRoute() throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend)) {
            proxied(gateway, backend, get("/counted"));

            await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> {
                String text = exchange(gateway, get("/metrics")).body();
                assertThat(PrometheusText.value(text, "gatehouse_requests_total", "route=\"r\""))
                        .as("gatehouse_requests_total{route=\"r\"}").isGreaterThanOrEqualTo(1.0);
                assertThat(text).contains("gatehouse_request_duration_seconds_bucket{")
                        .contains("gatehouse_backend_healthy{")
                        .contains("gatehouse_client_connections");
            });
        }
    }

    @Test
    void keepAliveServesSequentialRequestsAndReusesTheUpstreamConnection() throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend);
             RawHttp raw = connect(gateway)) {
            backend.enqueue(new MockResponse.Builder().body("one").build());
            backend.enqueue(new MockResponse.Builder().body("two").build());

            Reply first = Reply.parse(raw.send(get("/1")).readResponse());
            Reply second = Reply.parse(raw.send(get("/2")).readResponse());

            assertThat(first.body()).isEqualTo("one");
            assertThat(second.body()).isEqualTo("two");
            RecordedRequest upstream1 = received(backend);
            RecordedRequest upstream2 = received(backend);
            assertThat(upstream2.getConnectionIndex()).as("upstream connection of the second request")
                    .isEqualTo(upstream1.getConnectionIndex());
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend);
             RawHttp raw = connect(gateway)) {
            backend.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    // The first is the slower one, so answering out of order would show.
                    long delay = request.getTarget().equals("/first") ? 100 : 0;
                    return new MockResponse.Builder().headersDelay(delay, TimeUnit.MILLISECONDS)
                            .body(request.getTarget()).build();
                }
            });

            raw.send(get("/first") + get("/second"));

            assertThat(Reply.parse(raw.readResponse()).body()).isEqualTo("/first");
            assertThat(Reply.parse(raw.readResponse()).body()).isEqualTo("/second");
        }
    }

    @Test
    void http10RequestWithoutKeepAliveIsAnsweredThenClosed() throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend);
             RawHttp raw = connect(gateway)) {
            backend.enqueue(new MockResponse.Builder().body("legacy").build());

            Reply reply = Reply.parse(raw.send("GET /old HTTP/1.0\r\n\r\n").readResponse());

            assertThat(reply.status()).as("%s", reply).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("legacy");
            assertThat(closedByGateway(raw)).as("connection closed after the response").isTrue();
        }
    }

    static Stream<Arguments> ambiguousFraming() {
        return Stream.of(
                Arguments.of("Content-Length with chunked", "Content-Length: 6\r\nTransfer-Encoding: chunked",
                        "0\r\n\r\nG", new int[] {400}),
                Arguments.of("two Content-Lengths", "Content-Length: 5\r\nContent-Length: 6", "hello!",
                        new int[] {400}),
                Arguments.of("gzip before chunked", "Transfer-Encoding: gzip, chunked", "0\r\n\r\n",
                        new int[] {501, 400}),
                Arguments.of("gzip only", "Transfer-Encoding: gzip", "0\r\n\r\n", new int[] {501, 400}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ambiguousFraming")
    void ambiguousFramingIsRefusedAndTheConnectionClosed(String name, String framingHeaders, String body,
                                                         int[] statuses) throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend);
             RawHttp raw = connect(gateway)) {
            Reply reply = Reply.parse(raw.send(request("POST", "/smuggle", framingHeaders) + body).readResponse());

            assertThat(reply.status()).as("%s", reply).isIn(Arrays.stream(statuses).boxed().toList());
            assertThat(closedByGateway(raw)).as("connection closed").isTrue();
            assertBackendUntouched(backend);
        }
    }

    @Test
    void expect100ContinueGetsAnInterimResponseAndTheBodyReachesTheBackend() throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend);
             RawHttp raw = connect(gateway)) {
            backend.enqueue(new MockResponse.Builder().code(201).body("stored").build());

            Reply interim = Reply.parse(raw.send(request("POST", "/upload",
                    "Content-Length: 5", "Expect: 100-continue")).readResponse());
            assertThat(interim.statusLine()).isEqualTo("HTTP/1.1 100 Continue");
            Reply reply = Reply.parse(raw.send("hello").readResponse());

            assertThat(reply.status()).as("%s", reply).isEqualTo(201);
            assertThat(reply.body()).isEqualTo("stored");
            RecordedRequest upstream = received(backend);
            assertThat(upstream.getBody().utf8()).isEqualTo("hello");
            assertThat(upstream.getHeaders().get("Expect")).isNull();
        }
    }

    @Test
    void unsupportedExpectationIs417() throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend)) {
            Reply reply = exchange(gateway, request("POST", "/upload", "Content-Length: 0",
                    "Expect: something-else"));

            assertThat(reply.status()).as("%s", reply).isEqualTo(417);
            assertBackendUntouched(backend);
        }
    }

    @Test
    void declaredBodyOverTheLimitIs413WithoutTouchingTheBackend() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway(BODY_LIMIT_1KIB, catchAll(backend))) {
            Reply reply = exchange(gateway, request("POST", "/big", "Content-Length: 2000"));

            assertThat(reply.status()).as("%s", reply).isEqualTo(413);
            assertThat(reply.errorCode()).isEqualTo("payload_too_large");
            assertBackendUntouched(backend);
        }
    }

    @Test
    void chunkedBodyOverTheLimitIsRefusedAndNeverReachesTheBackendWhole() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway(BODY_LIMIT_1KIB, catchAll(backend));
             RawHttp raw = connect(gateway)) {
            String chunk = "x".repeat(2000);
            raw.send(request("POST", "/big", "Transfer-Encoding: chunked")
                    + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n");

            Reply reply = readResponseOrNullIfClosed(raw);
            if (reply != null) {
                assertThat(reply.status()).as("%s", reply).isEqualTo(413);
            }
            assertThat(closedByGateway(raw)).as("connection closed").isTrue();
            RecordedRequest upstream = backend.takeRequest(300, TimeUnit.MILLISECONDS);
            if (upstream != null) {
                assertThat(upstream.getFailure() != null || upstream.getBodySize() < chunk.length())
                        .as("backend got only part of the body: %s", upstream).isTrue();
            }
        }
    }

    @Test
    void requestLineOverTheLimitIs414() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("server: {limits: {max_initial_line: 256}}\n", catchAll(backend))) {
            Reply reply = exchange(gateway, get("/" + "a".repeat(400)));

            assertThat(reply.status()).as("%s", reply).isEqualTo(414);
            assertBackendUntouched(backend);
        }
    }

    @Test
    void headersOverTheLimitAre431() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("server: {limits: {max_header_bytes: 1KiB}}\n", catchAll(backend))) {
            Reply reply = exchange(gateway, get("/h", "X-Big: " + "b".repeat(1500)));

            assertThat(reply.status()).as("%s", reply).isEqualTo(431);
            assertBackendUntouched(backend);
        }
    }

    @Test
    void incompleteRequestHeadTimesOutWith408AndClose() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("server: {timeouts: {request_header: 300ms}}\n", catchAll(backend));
             RawHttp raw = connect(gateway)) {
            long start = System.nanoTime();
            Reply reply = Reply.parse(raw.send("GET / HTTP/1.1\r\nHost: x\r\n").readResponse());

            assertThat(reply.status()).as("%s", reply).isEqualTo(408);
            FramingIntegrationTest.assertGatewayError(reply, 408, "request_timeout");
            assertThat(reply.header("X-Frame-Options")).as("X-Frame-Options").isEqualTo("DENY");
            assertThat(reply.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(closedByGateway(raw)).as("connection closed").isTrue();
            assertThat(millisSince(start)).isBetween(250L, 1_000L);
            assertBackendUntouched(backend);
        }
    }

    @Test
    void idleConnectionIsClosedByTheGateway() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("server: {timeouts: {idle: 300ms}}\n", catchAll(backend));
             RawHttp raw = connect(gateway)) {
            long start = System.nanoTime();

            assertThat(closedByGateway(raw)).as("idle connection closed").isTrue();
            assertThat(millisSince(start)).isBetween(250L, 1_000L);
        }
    }

    @Test
    void keepAliveConnectionIsClosedWhenIdleAfterAResponse() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("server: {timeouts: {idle: 300ms}}\n", catchAll(backend));
             RawHttp raw = connect(gateway)) {
            backend.enqueue(new MockResponse.Builder().body("ok").build());
            assertThat(Reply.parse(raw.send(get("/once")).readResponse()).status()).isEqualTo(200);
            long start = System.nanoTime();

            assertThat(closedByGateway(raw)).as("idle keep-alive connection closed").isTrue();
            assertThat(millisSince(start)).isBetween(250L, 1_000L);
        }
    }

    private static Reply readResponseOrNullIfClosed(RawHttp raw) {
        try {
            return Reply.parse(raw.readResponse());
        } catch (IOException e) {
            return null; // closed (or reset) before a response: also a refusal
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
