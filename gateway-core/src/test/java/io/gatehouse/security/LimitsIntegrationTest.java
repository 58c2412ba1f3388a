package io.gatehouse.security;

import io.gatehouse.testing.Reply;
import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.TestGateway;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.gatehouse.security.SecurityFixtures.connect;
import static io.gatehouse.security.SecurityFixtures.drainTargets;
import static io.gatehouse.security.SecurityFixtures.echoBackend;
import static io.gatehouse.security.SecurityFixtures.gateway;
import static io.gatehouse.security.SecurityFixtures.nextResponseOrNullIfClosed;
import static io.gatehouse.security.SecurityFixtures.rawRequest;
import static io.gatehouse.security.SecurityFixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 413, 414 and 431 with more bytes right behind the refused request, in the same write: the error is the first
 * answer; then the gateway closes, or answers the next complete request as itself. No request the backend sees is
 * ever parsed out of the refused request's leftover bytes.
 */
class LimitsIntegrationTest {
    private static final String LIMITS = "server: {limits: {max_body_bytes: 1KiB, max_initial_line: 256,"
            + " max_header_bytes: 1KiB}}\n";
    /** A complete request hidden where only body or leftover bytes belong. */
    private static final String SMUGGLED = rawRequest("GET", "/smuggled");
    private static final String SMUGGLED_TAIL = rawRequest("GET", "/smuggled-tail");
    /** The legitimate request pipelined behind the refused one. */
    private static final String SECOND = rawRequest("GET", "/second");

    private MockWebServer backend;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        backend = echoBackend();
        gateway = gateway(LIMITS, route("all", "path_prefix: /", backend));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        backend.close();
    }

    @Test
    void declaredBodyOverTheLimitIs413AndItsBodyIsNeverParsedAsRequests() throws Exception {
        // Requests at the start and at the end of the body: whether the gateway skipped none, the limit's worth or
        // all of it, a hidden request would then be parsed and show at the backend.
        String body = SMUGGLED + "x".repeat(2000 - SMUGGLED.length() - SMUGGLED_TAIL.length()) + SMUGGLED_TAIL;
        String oversized = "POST /upload HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: 2000\r\n\r\n" + body;

        assertThat(body).hasSize(2000);
        assertRefusedThenClosedOrSecondAnswered(oversized, 413, "payload_too_large");
    }

    @Test
    void bodyShorterThanDeclaredAfter413IsNeverParsedAsRequests() throws Exception {
        String oversized = "POST /upload HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: 5000\r\n\r\n" + SMUGGLED;

        try (RawHttp raw = connect(gateway)) {
            raw.send(oversized + SECOND);

            Reply first = Reply.parse(raw.readResponse());
            assertThat(first.status()).as("%s", first).isEqualTo(413);
            // The pipelined bytes are body as declared: nothing after the 413 may be an answer to them.
            String rest = raw.readUntilClose();
            assertThat(rest).as("bytes after the 413").doesNotContain("HTTP/1.1 200");
        }
        assertThat(drainTargets(backend)).as("requests at the backend").isEmpty();
    }

    @Test
    void requestLineOverTheLimitIs414() throws Exception {
        assertRefusedThenClosedOrSecondAnswered(rawRequest("GET", "/" + "a".repeat(400)), 414, "uri_too_long");
    }

    @Test
    void requestLineOverTheLimitIs414AndItsBodyIsNeverParsedAsARequest() throws Exception {
        String oversized = "POST /" + "a".repeat(400) + " HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: "
                + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED;

        assertRefusedThenClosedOrSecondAnswered(oversized, 414, "uri_too_long");
    }

    @Test
    void headersOverTheLimitAre431() throws Exception {
        assertRefusedThenClosedOrSecondAnswered(rawRequest("GET", "/h", "X-Big: " + "b".repeat(1500)), 431,
                "headers_too_large");
    }

    @Test
    void headersOverTheLimitAre431AndTheirLeftoversAndBodyAreNeverParsedAsRequests() throws Exception {
        // A line shaped like a request line after the limit, and a body: neither may turn into a request.
        String oversized = "POST /h HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: " + SMUGGLED.length()
                + "\r\nX-Big: " + "b".repeat(1500) + "\r\nGET /smuggled-header HTTP/1.1\r\n\r\n" + SMUGGLED;

        assertRefusedThenClosedOrSecondAnswered(oversized, 431, "headers_too_large");
    }

    /**
     * Sends {@code refused} and {@link #SECOND} in one write; the first answer must be {@code status}, then the
     * connection closes or the second request is answered as {@code /second}; the backend sees nothing else.
     */
    private void assertRefusedThenClosedOrSecondAnswered(String refused, int status, String code) throws Exception {
        Reply second;
        try (RawHttp raw = connect(gateway)) {
            raw.send(refused + SECOND);

            Reply first = Reply.parse(raw.readResponse());
            assertThat(first.status()).as("first answer: %s", first).isEqualTo(status);
            assertThat(first.errorCode()).isEqualTo(code);
            assertThat(first.header("X-Request-ID")).as("%s", first).matches("[0-9a-f]{32}");
            assertThat(SecurityFixtures.requestIdIn(first.body())).isEqualTo(first.header("X-Request-ID"));
            second = nextResponseOrNullIfClosed(raw);
            if (second != null) {
                assertThat(second.status()).as("second answer: %s", second).isEqualTo(200);
                assertThat(second.body()).isEqualTo("echo /second");
            }
        }
        List<String> targets = drainTargets(backend);
        assertThat(targets).as("requests at the backend").noneMatch(target -> target.contains("smuggled"));
        assertThat(targets).as("requests at the backend").isEqualTo(second == null ? List.of() : List.of("/second"));
    }
}
