package io.gatehouse.proxy;

import io.gatehouse.testing.RawBackend;
import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestConfigs;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interim 1xx responses a backend sends on its own (RFC 9110 §15.2), against raw-socket backends: forwarded to
 * HTTP/1.1 clients before the final response, never to HTTP/1.0 ones, a 100 Continue never twice, and an
 * unsolicited 101 a backend protocol error answered 502 at once.
 */
class InterimResponseTest {
    private static final String EARLY_HINTS = "HTTP/1.1 103 Early Hints\r\n"
            + "Link: </style.css>; rel=preload; as=style\r\n"
            + "Connection: X-Hop\r\n"
            + "X-Hop: secret\r\n\r\n";
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    @Test
    void earlyHintsReachAnHttp11ClientBeforeTheFinalResponseExists() throws Exception {
        CountDownLatch hintsSeen = new CountDownLatch(1);
        try (RawBackend backend = RawBackend.start(connection -> {
                connection.readHead();
                connection.send(EARLY_HINTS);
                hintsSeen.await(5, TimeUnit.SECONDS); // the final response only once the client has the hints
                connection.send(OK);
                connection.awaitClose();
            });
             TestGateway gateway = TestGateway.start(directRoute(backend.port()));
             RawHttp client = gateway.connect()) {
            client.send(RawHttp.request("GET", "/page"));

            Reply hints = Reply.parse(client.readResponse());
            hintsSeen.countDown();
            Reply fin = Reply.parse(client.readResponse());

            assertThat(hints.statusLine()).isEqualTo("HTTP/1.1 103 Early Hints");
            assertThat(hints.header("Link")).isEqualTo("</style.css>; rel=preload; as=style");
            assertThat(hints.header("Via")).as("a forwarded message carries Via").isNotNull();
            assertThat(hints.header("X-Hop")).as("named in Connection: hop-by-hop").isNull();
            assertThat(hints.header("Connection")).isNull();
            assertThat(fin.status()).isEqualTo(200);
            assertThat(fin.body()).isEqualTo("ok");
        }
    }

    @Test
    void anHttp10ClientGetsOnlyTheFinalResponse() throws Exception {
        try (RawBackend backend = RawBackend.start(connection -> {
                connection.readHead();
                connection.send(EARLY_HINTS);
                connection.send(OK);
                connection.awaitClose();
            });
             TestGateway gateway = TestGateway.start(directRoute(backend.port()));
             RawHttp client = gateway.connect()) {
            String received = client.send("GET /page HTTP/1.0\r\nHost: gw\r\n\r\n").readUntilClose();

            assertThat(received).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nok").doesNotContain(" 103 ");
        }
    }

    @Test
    void anUnsolicited100ContinueIsForwarded() throws Exception {
        try (RawBackend backend = RawBackend.start(connection -> {
                connection.readHead();
                connection.send("HTTP/1.1 100 Continue\r\n\r\n" + OK);
                connection.awaitClose();
            });
             TestGateway gateway = TestGateway.start(directRoute(backend.port()));
             RawHttp client = gateway.connect()) {
            client.send(RawHttp.request("GET", "/no-expect"));

            assertThat(Reply.parse(client.readResponse()).statusLine()).isEqualTo("HTTP/1.1 100 Continue");
            Reply fin = Reply.parse(client.readResponse());
            assertThat(fin.status()).isEqualTo(200);
            assertThat(fin.body()).isEqualTo("ok");
        }
    }

    /** The gateway answers Expect: 100-continue itself; the backend's own 100 after that is not a second one. */
    @Test
    void aBackends100AfterTheGatewaysOwnIsNotSentTwice() throws Exception {
        try (RawBackend backend = RawBackend.start(connection -> {
                connection.readHead();
                connection.readBody(5);
                connection.send("HTTP/1.1 100 Continue\r\n\r\n" + OK);
                connection.awaitClose();
            });
             TestGateway gateway = TestGateway.start(directRoute(backend.port()));
             RawHttp client = gateway.connect()) {
            client.send("POST /upload HTTP/1.1\r\nHost: gw\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertThat(Reply.parse(client.readResponse()).statusLine()).isEqualTo("HTTP/1.1 100 Continue");

            client.send("hello");
            Reply fin = Reply.parse(client.readResponse());

            assertThat(fin.status()).as("the next response after the one 100 Continue").isEqualTo(200);
            assertThat(fin.body()).isEqualTo("ok");
            assertThat(backend.takeHead().toLowerCase()).doesNotContain("expect:");
        }
    }

    /**
     * The gateway never asks a backend to switch protocols: a 101 is a protocol error, answered 502 at once (not a
     * 504 after the 30 s response timeout), with the backend's connection closed and the attempt judged failed.
     */
    @Test
    void anUnsolicited101Answers502AtOnceAndFailsTheBackend() throws Exception {
        CountDownLatch closedByGateway = new CountDownLatch(1);
        try (RawBackend backend = RawBackend.start(connection -> {
                connection.readHead();
                connection.send("HTTP/1.1 101 Switching Protocols\r\n"
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
                if (connection.awaitClose()) {
                    closedByGateway.countDown();
                }
            });
             TestGateway gateway = TestGateway.start(TestConfigs.usersPool("""
                     circuit_breaker: {consecutive_failures: 1, failure_rate: 0, open_for: 30s, half_open_probes: 1}""",
                     "30s", backend.port()));
             RawHttp client = gateway.connect()) { // reads give up after 2 s, far below the 30 s timeout
            Reply reply = Reply.parse(client.send(RawHttp.request("GET", "/chat")).readResponse());

            assertThat(reply.status()).as("%s", reply).isEqualTo(502);
            assertThat(reply.errorCode()).isEqualTo("bad_gateway");
            assertThat(closedByGateway.await(2, TimeUnit.SECONDS)).as("backend connection closed").isTrue();
            assertThat(gateway.metric("gatehouse_circuit_breaker_state", "pool=\"users\"",
                    "backend=\"127.0.0.1:" + backend.port() + "\"")).as("breaker opened by the failure").isEqualTo(1);
        }
    }

    private static String directRoute(int port) {
        return """
                routes:
                  - id: r
                    match: {path_prefix: /}
                    upstream: "http://127.0.0.1:%d"
                    response_timeout: 30s
                """.formatted(port);
    }
}
