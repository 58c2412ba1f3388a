package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.testing.RawBackend;
import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestGateway;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request body within the route's {@code request_buffering} bound is read whole before the gateway takes a backend
 * connection, so a client that uploads slowly holds only its own connection; a larger body, or any body with
 * {@code request_buffering: off}, streams from its first byte as before. The backend's {@link RawBackend#accepted()}
 * count shows when the gateway connected.
 */
class RequestBufferingIntegrationTest {
    /** Long enough for a gateway that connects at the request head to have done so many times over. */
    private static final Duration NO_CONNECTION_FOR = Duration.ofMillis(300);

    @Test
    void aSmallBodySentSlowlyOpensNoBackendConnectionUntilItIsWhole() throws Exception {
        try (RawBackend backend = RawBackend.echoing();
             TestGateway gateway = TestGateway.start(config(backend.port(), "", ""));
             RawHttp client = gateway.connect()) {
            client.send(RawHttp.request("POST", "/upload", "Content-Length: 10") + "0123");
            for (String piece : new String[] {"45", "678"}) {
                assertNoBackendConnection(backend);
                client.send(piece);
            }
            assertNoBackendConnection(backend);
            Reply reply = Reply.parse(client.send("9").readResponse());

            assertThat(reply.status()).as("%s", reply).isEqualTo(200);
            assertThat(reply.body()).as("the whole body, in one request").isEqualTo("0123456789");
            assertThat(backend.accepted()).isEqualTo(1);
        }
    }

    @Test
    void aSlowUploadDoesNotHoldTheOnlyBackendConnectionFromAnotherRequest() throws Exception {
        try (RawBackend backend = RawBackend.echoing();
             TestGateway gateway = TestGateway.start(config(backend.port(), "    max_connections: 1\n",
                     "    response_timeout: 3s\n"), 1);
             RawHttp slow = gateway.connect();
             RawHttp normal = gateway.connect()) {
            normal.socket().setSoTimeout(10_000);
            slow.send(RawHttp.request("POST", "/upload", "Content-Length: 10") + "01234");
            assertNoBackendConnection(backend);

            Reply answer = Reply.parse(normal.send(RawHttp.request("GET", "/users")).readResponse());

            assertThat(answer.status()).as("answered while the upload is under way: %s", answer).isEqualTo(200);
            Reply uploaded = Reply.parse(slow.send("56789").readResponse());
            assertThat(uploaded.status()).as("%s", uploaded).isEqualTo(200);
            assertThat(uploaded.body()).isEqualTo("0123456789");
        }
    }

    @Test
    void aSmallBodyThatStopsArrivingIs408AndNoBackendIsEverAsked() throws Exception {
        try (RawBackend backend = RawBackend.echoing();
             TestGateway gateway = TestGateway.start("server: {timeouts: {request_body: 300ms}}\n"
                     + config(backend.port(), "", ""));
             RawHttp client = gateway.connect()) {
            Reply reply = Reply.parse(client.send(RawHttp.request("POST", "/upload", "Content-Length: 10") + "01234")
                    .readResponse());

            assertThat(reply.status()).as("%s", reply).isEqualTo(408);
            assertThat(reply.errorCode()).isEqualTo("client_body_timeout");
            assertThat(client.isClosedByPeer()).isTrue();
            assertThat(backend.accepted()).isZero();
            assertThat(gateway.metric("gatehouse_client_timeouts_total", "kind=\"body\"")).isEqualTo(1.0);
        }
    }

    @Test
    void aClientThatLeavesMidBodyLeavesNoConnectionBehind() throws Exception {
        try (RawBackend backend = RawBackend.echoing();
             TestGateway gateway = TestGateway.start(config(backend.port(), "", ""))) {
            try (RawHttp client = gateway.connect()) {
                client.send(RawHttp.request("POST", "/upload", "Content-Length: 10") + "01");
                assertNoBackendConnection(backend);
                client.send("23"); // a second part: the held body is now a copy (leak detection is paranoid)
                assertNoBackendConnection(backend);
            }

            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.metric("gatehouse_client_connections") == 0.0);
            assertThat(backend.accepted()).isZero();
            assertThat(gateway.exchange(RawHttp.request("POST", "/upload", "Content-Length: 2") + "ok").body())
                    .isEqualTo("ok");
        }
    }

    @Test
    void aRequestTimeoutWhileASmallBodyIsReadIs408AndNoFailureOfTheRoute() throws Exception {
        try (RawBackend backend = RawBackend.echoing();
             TestGateway gateway = TestGateway.start(config(backend.port(), "",
                     "    request_timeout: 300ms\n    circuit_breaker: {consecutive_failures: 1, open_for: 1m}\n"));
             RawHttp client = gateway.connect()) {
            Reply reply = Reply.parse(client.send(RawHttp.request("POST", "/upload", "Content-Length: 10") + "01234")
                    .readResponse());

            assertThat(reply.status()).as("%s", reply).isEqualTo(408);
            assertThat(reply.errorCode()).isEqualTo("request_timeout");
            assertThat(backend.accepted()).isZero();
            assertThat(gateway.metric("gatehouse_route_circuit_breaker_state", "route=\"r\"")).as("closed").isZero();
        }
    }

    @Test
    void aSmallChunkedBodyIsReadWholeFirst() throws Exception {
        try (RawBackend backend = RawBackend.echoing();
             TestGateway gateway = TestGateway.start(config(backend.port(), "", ""));
             RawHttp client = gateway.connect()) {
            client.send(RawHttp.request("POST", "/upload", "Transfer-Encoding: chunked") + "5\r\nhello\r\n");
            assertNoBackendConnection(backend);
            client.send("6\r\n world\r\n");
            assertNoBackendConnection(backend);
            Reply reply = Reply.parse(client.send("0\r\nX-Checksum: 1\r\n\r\n").readResponse());

            assertThat(reply.status()).as("%s", reply).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("hello world");
            assertThat(backend.accepted()).isEqualTo(1);
        }
    }

    @Test
    void aChunkedBodyThatOutgrowsTheBoundStreamsFromThereWhatWasReadFirst() throws Exception {
        try (RawBackend backend = RawBackend.echoing();
             TestGateway gateway = TestGateway.start(config(backend.port(), "", "    request_buffering: 8\n"));
             RawHttp client = gateway.connect()) {
            client.send(RawHttp.request("POST", "/upload", "Transfer-Encoding: chunked") + "5\r\nhello\r\n");
            assertNoBackendConnection(backend);

            client.send("6\r\n world\r\n");

            await().atMost(Duration.ofSeconds(5)).until(() -> backend.accepted() == 1);
            Reply reply = Reply.parse(client.send("1\r\n!\r\n0\r\n\r\n").readResponse());
            assertThat(reply.status()).as("%s", reply).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("hello world!");
        }
    }

    /** A 10-byte body over a bound of 8, or with buffering off: the backend is asked before the body ends. */
    @ParameterizedTest
    @ValueSource(strings = {"8", "off", "0"})
    void aBodyOverTheBoundOrWithBufferingOffStreamsFromItsFirstByte(String buffering) throws Exception {
        try (RawBackend backend = RawBackend.echoing();
             TestGateway gateway = TestGateway.start(config(backend.port(), "", "    request_buffering: " + buffering
                     + "\n"));
             RawHttp client = gateway.connect()) {
            client.send(RawHttp.request("POST", "/upload", "Content-Length: 10") + "01234");

            await().atMost(Duration.ofSeconds(5)).until(() -> backend.accepted() == 1);
            Reply reply = Reply.parse(client.send("56789").readResponse());
            assertThat(reply.status()).as("%s", reply).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("0123456789");
        }
    }

    @Test
    void expectContinueWithABufferedBodyIsAnsweredAtOnceThoughNoBackendConnectionIsFree() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (RawBackend backend = new RawBackend(64 * 1024, connection -> {
                 String head;
                 while ((head = connection.readHead()) != null) {
                     String body = connection.readBody(head);
                     if (head.startsWith("GET /hold")) {
                         holding.countDown();
                         release.await();
                     }
                     connection.respond(200, body);
                 }
             });
             TestGateway gateway = TestGateway.start(config(backend.port(), "    max_connections: 1\n",
                     "    response_timeout: 5s\n"), 1);
             RawHttp holder = gateway.connect();
             RawHttp client = gateway.connect()) {
            holder.socket().setSoTimeout(10_000);
            holder.send(RawHttp.request("GET", "/hold"));
            assertThat(holding.await(5, TimeUnit.SECONDS)).as("the one connection is busy")
                    .isTrue();

            String interim = client.send(RawHttp.request("POST", "/upload", "Content-Length: 5",
                    "Expect: 100-continue")).readResponse();

            assertThat(interim).as("within the client's 2 s read timeout, no backend connection free")
                    .startsWith("HTTP/1.1 100 Continue");
            client.send("hello");
            release.countDown();
            assertThat(Reply.parse(holder.readResponse()).status()).isEqualTo(200);
            client.socket().setSoTimeout(10_000);
            Reply reply = Reply.parse(client.readResponse());
            assertThat(reply.status()).as("%s", reply).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("hello");
        } finally {
            release.countDown();
        }
    }

    /** The gateway has not connected to the backend, and does not for a while. */
    private static void assertNoBackendConnection(RawBackend backend) {
        await().during(NO_CONNECTION_FOR).atMost(NO_CONNECTION_FOR.multipliedBy(3))
                .until(() -> backend.accepted() == 0);
    }

    /** Pool {@code p} with one backend and {@code poolKeys}; route {@code r} for every path with {@code routeKeys}. */
    private static String config(int port, String poolKeys, String routeKeys) {
        return "pools:\n  p:\n    backends: [\"http://127.0.0.1:" + port + "\"]\n" + poolKeys
                + "routes:\n  - id: r\n    match: {path_prefix: /}\n    pool: p\n" + routeKeys;
    }
}
