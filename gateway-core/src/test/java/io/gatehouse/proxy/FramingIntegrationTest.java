package io.gatehouse.proxy;

import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestGateway;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.gatehouse.proxy.ProtocolFixtures.catchAll;
import static io.gatehouse.proxy.ProtocolFixtures.closedByGateway;
import static io.gatehouse.proxy.ProtocolFixtures.connect;
import static io.gatehouse.proxy.ProtocolFixtures.gateway;
import static io.gatehouse.proxy.ProtocolFixtures.get;
import static io.gatehouse.proxy.ProtocolFixtures.request;
import static io.gatehouse.proxy.ProtocolFixtures.route;
import static io.gatehouse.proxy.ProtocolFixtures.startBackend;
import static io.gatehouse.testing.MockBackends.assertBackendUntouched;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests the codec cannot frame, wherever they stand in a pipelined batch, and the limits on a request head:
 * each is answered with a JSON error after the responses to the requests before it, then the connection closes,
 * and nothing after it is ever parsed as a request.
 */
class FramingIntegrationTest {
    /** A good request sent after the bad one: were it parsed, the framing would have been guessed. */
    private static final String AFTER = get("/after");

    static Stream<Arguments> malformedAtEachPosition() {
        List<Arguments> cases = new ArrayList<>();
        String[][] malformed = {
                {"invalid Content-Length", request("POST", "/bad", "Content-Length: abc") + "hello"},
                {"Content-Length list of differing values",
                        request("POST", "/bad", "Content-Length: 5, 6") + "hello!"},
                {"bad chunk size", request("POST", "/bad", "Transfer-Encoding: chunked") + "zz\r\nhello\r\n0\r\n\r\n"},
                {"chunk without its CRLF",
                        request("POST", "/bad", "Transfer-Encoding: chunked") + "5\r\nhelloXX0\r\n\r\n"},
                {"invalid header line", request("GET", "/bad", "Bad Header: 1")},
                {"invalid request line", "GET /bad HTP/1.1\r\nHost: gateway.test\r\n\r\n"},
        };
        for (String[] kind : malformed) {
            for (int goodBefore = 0; goodBefore <= 2; goodBefore++) {
                cases.add(Arguments.of(kind[0], goodBefore, kind[1]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} after {1} good requests")
    @MethodSource("malformedAtEachPosition")
    void malformedRequestInAPipelinedBatchIsAnswered400AfterTheEarlierOnesThenClosed(
            String kind, int goodBefore, String malformed) throws Exception {
        try (MockWebServer backend = echoingBackend(); TestGateway gateway = gateway(backend);
             RawHttp raw = connect(gateway)) {
            StringBuilder batch = new StringBuilder();
            IntStream.range(0, goodBefore).forEach(i -> batch.append(get("/good-" + i)));

            raw.send(batch + malformed + AFTER);

            for (int i = 0; i < goodBefore; i++) {
                Reply good = Reply.parse(raw.readResponse());
                assertThat(good.status()).as("%s", good).isEqualTo(200);
                assertThat(good.body()).isEqualTo("/good-" + i);
            }
            Reply refused = Reply.parse(raw.readResponse());
            assertGatewayError(refused, 400, "bad_request");
            assertThat(refused.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(closedByGateway(raw)).as("closed after the 400").isTrue();
            assertThat(targetsReceived(backend)).as("requests at the backend").doesNotContain("/after");
        }
    }

    @Test
    void contentLengthListOfDifferingValuesAloneIsAnswered400JsonThenClosed() throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend);
             RawHttp raw = connect(gateway)) {
            Reply reply = Reply.parse(raw.send(request("POST", "/x", "Content-Length: 5, 6") + "hello!")
                    .readResponse());

            assertGatewayError(reply, 400, "bad_request");
            assertThat(reply.body()).as("no parser detail for the client").doesNotContain("Multiple");
            assertThat(closedByGateway(raw)).isTrue();
            assertBackendUntouched(backend);
        }
    }

    @Test
    void malformedBodyOfARequestTheGatewayRefusedClosesTheConnectionAfterTheRefusal() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("", route("api", "path_prefix: /api", backend));
             RawHttp raw = connect(gateway)) {
            raw.send(request("POST", "/nowhere", "Transfer-Encoding: chunked") + "zz\r\nhello\r\n0\r\n\r\n"
                    + get("/api/after"));

            Reply refused = Reply.parse(raw.readResponse());
            assertThat(refused.status()).as("%s", refused).isEqualTo(404);
            assertThat(closedByGateway(raw)).as("closed: nothing after the bad chunk can be framed").isTrue();
            assertBackendUntouched(backend);
        }
    }

    @Test
    void invalidPathIsRefusedAndTheConnectionClosed() throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend);
             RawHttp raw = connect(gateway)) {
            Reply reply = Reply.parse(raw.send(get("/public/..%2fadmin") + AFTER).readResponse());

            assertGatewayError(reply, 400, "invalid_path");
            assertThat(reply.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(closedByGateway(raw)).isTrue();
            assertBackendUntouched(backend);
        }
    }

    // ---- TRACE ----

    @Test
    void traceIsRefused405OnARouteThatListsNoMethods() throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend);
             RawHttp raw = connect(gateway)) {
            Reply reply = Reply.parse(raw.send(request("TRACE", "/echo", "Cookie: session=secret")).readResponse());

            assertGatewayError(reply, 405, "method_not_allowed");
            assertThat(reply.header("Allow")).as("Allow").contains("GET").doesNotContain("TRACE");
            assertBackendUntouched(backend);
        }
    }

    @Test
    void traceIsRefused405OnARouteThatListsOtherMethods() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("", route("r", "path_prefix: /, methods: [GET, POST]", backend));
             RawHttp raw = connect(gateway)) {
            Reply reply = Reply.parse(raw.send(request("TRACE", "/echo")).readResponse());

            assertGatewayError(reply, 405, "method_not_allowed");
            assertThat(reply.header("Allow")).isEqualTo("GET, HEAD, POST");
            assertBackendUntouched(backend);
        }
    }

    @Test
    void traceIsForwardedOnARouteThatListsIt() throws Exception {
        try (MockWebServer backend = echoingBackend();
             TestGateway gateway = gateway("", route("diag", "path_prefix: /diag, methods: [GET, TRACE]", backend));
             RawHttp raw = connect(gateway)) {
            Reply reply = Reply.parse(raw.send(request("TRACE", "/diag/echo")).readResponse());

            assertThat(reply.status()).as("%s", reply).isEqualTo(200);
            RecordedRequest upstream = backend.takeRequest(2, TimeUnit.SECONDS);
            assertThat(upstream).isNotNull();
            assertThat(upstream.getMethod()).isEqualTo("TRACE");
        }
    }

    // ---- the number of request headers ----

    @Test
    void oneHundredHeadersPassByDefault() throws Exception {
        try (MockWebServer backend = echoingBackend(); TestGateway gateway = gateway(backend);
             RawHttp raw = connect(gateway)) {
            Reply reply = Reply.parse(raw.send(get("/h", headerLines(99))).readResponse()); // and Host: 100

            assertThat(reply.status()).as("%s", reply).isEqualTo(200);
        }
    }

    @Test
    void oneHundredAndOneHeadersAre431AndClose() throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend);
             RawHttp raw = connect(gateway)) {
            Reply reply = Reply.parse(raw.send(get("/h", headerLines(100)) + AFTER).readResponse());

            assertGatewayError(reply, 431, "too_many_headers");
            assertThat(reply.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(closedByGateway(raw)).isTrue();
            assertBackendUntouched(backend);
        }
    }

    @Test
    void theHeaderCountLimitIsConfigurable() throws Exception {
        try (MockWebServer backend = echoingBackend();
             TestGateway gateway = gateway("server: {limits: {max_headers: 10}}\n", catchAll(backend))) {
            Reply ten = gateway.exchange(get("/h", headerLines(9)));
            Reply eleven = gateway.exchange(get("/h", headerLines(10)));

            assertThat(ten.status()).as("%s", ten).isEqualTo(200);
            assertGatewayError(eleven, 431, "too_many_headers");
        }
    }

    // ---- helpers ----

    /** A backend answering every request 200 with its target as the body. */
    private static MockWebServer echoingBackend() throws Exception {
        MockWebServer backend = startBackend();
        backend.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().body(request.getTarget()).build();
            }
        });
        return backend;
    }

    private static List<String> targetsReceived(MockWebServer backend) throws InterruptedException {
        List<String> targets = new ArrayList<>();
        RecordedRequest recorded;
        while ((recorded = backend.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
            targets.add(recorded.getTarget());
        }
        return targets;
    }

    private static String[] headerLines(int count) {
        return IntStream.range(0, count).mapToObj(i -> "X-H" + i + ": " + i).toArray(String[]::new);
    }

    /** A gateway JSON error with the request ID in body and header alike, and the security headers. */
    static void assertGatewayError(Reply reply, int status, String code) {
        assertThat(reply.status()).as("%s", reply).isEqualTo(status);
        assertThat(reply.header("Content-Type")).isEqualTo("application/json");
        assertThat(reply.errorCode()).isEqualTo(code);
        String requestId = reply.header("X-Request-ID");
        assertThat(requestId).as("X-Request-ID").isNotNull();
        assertThat(reply.body()).contains("\"request_id\":\"" + requestId + "\"");
        assertThat(reply.header("X-Content-Type-Options")).as("X-Content-Type-Options").isEqualTo("nosniff");
    }
}
