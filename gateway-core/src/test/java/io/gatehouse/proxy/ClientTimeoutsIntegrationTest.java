package io.gatehouse.proxy;

import static io.gatehouse.proxy.ProtocolFixtures.closedByGateway;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.testing.PatternStream;
import io.gatehouse.testing.RawBackend;
import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.StreamingBackend;
import io.gatehouse.testing.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Every wait on a slow client is bounded once the request head is in: the gaps in a request body
 * ({@code request_body}), the time a client may leave a response untaken ({@code send}), and the time spent dropping
 * a refused request's body ({@code discard_body}); each counted in {@code gatehouse_client_timeouts_total{kind}}. A
 * slow client is never blamed on the backend: not answered 504, not counted against its breakers or outlier
 * detection, and its backend connection is closed rather than held.
 */
class ClientTimeoutsIntegrationTest {
    private static final String CLIENT_TIMEOUTS = "gatehouse_client_timeouts_total";
    private static final int SMALL_BUFFER = 16 * 1024;
    /** Route key: a small body streams, so its backend connection is open while the client dawdles. */
    private static final String STREAMING = "request_buffering: off";
    /** Far more than the loopback socket buffers on both hops can hold, so that backpressure must set in. */
    private static final long HUGE_BODY = 64L * 1024 * 1024;

    @Test
    void aRequestBodyThatStopsArrivingIsAnswered408AndItsBackendConnectionClosed() throws Exception {
        try (RawBackend backend = RawBackend.counting();
             TestGateway gateway = TestGateway.start(config("request_body: 300ms", STREAMING, backend.port()));
             RawHttp client = gateway.connect()) {
            client.send(RawHttp.request("POST", "/upload", "Content-Length: 100") + "0123456789");
            Reply reply = Reply.parse(client.readResponse());

            assertThat(reply.status()).as("%s", reply).isEqualTo(408);
            assertThat(reply.errorCode()).isEqualTo("client_body_timeout");
            assertThat(reply.body()).contains("\"request_id\":\"" + reply.header("X-Request-ID") + "\"");
            assertThat(reply.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(closedByGateway(client)).as("client connection closed").isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> backend.closedMidBody() == 1);
            assertThat(gateway.metric(CLIENT_TIMEOUTS, "kind=\"body\"")).isEqualTo(1.0);
            assertNoVerdictOnTheBackend(gateway, backend.port());
        }
    }

    @Test
    void aBodyGapAfterTheResponseStartedClosesTheConnection() throws Exception {
        try (RawBackend backend = new RawBackend(SMALL_BUFFER, connection -> {
                 connection.readHead();
                 connection.send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789"); // answers early
                 connection.skip(100);
             });
             TestGateway gateway = TestGateway.start(config("request_body: 300ms", STREAMING, backend.port()));
             RawHttp client = gateway.connect()) {
            client.socket().setSoTimeout(6_000);
            long start = System.nanoTime();
            String received = client.send(RawHttp.request("POST", "/upload", "Content-Length: 100") + "01234")
                    .readUntilClose();

            assertThat(received).startsWith("HTTP/1.1 200");
            assertThat(received.substring(received.indexOf("\r\n\r\n") + 4)).hasSizeLessThan(100);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .as("ms until the connection ended (not the client's 6 s read timeout)").isLessThan(4_000);
            await().atMost(Duration.ofSeconds(5)).until(() -> backend.closedMidBody() == 1);
            assertThat(gateway.metric(CLIENT_TIMEOUTS, "kind=\"body\"")).isEqualTo(1.0);
        }
    }

    @Test
    void everyKindOfClientTimeoutIsCountedFromTheStartAndAnUnfinishedHeadAsHeader() throws Exception {
        try (RawBackend backend = RawBackend.counting();
             TestGateway gateway = TestGateway.start(config("request_header: 300ms", "", backend.port()));
             RawHttp client = gateway.connect()) {
            for (String kind : new String[] {"header", "body", "send", "discard"}) {
                assertThat(gateway.metric(CLIENT_TIMEOUTS, "kind=\"" + kind + "\"")).as(kind).isZero();
            }
            Reply reply = Reply.parse(client.send("GET / HTTP/1.1\r\nHost: x\r\n").readResponse());

            assertThat(reply.status()).as("%s", reply).isEqualTo(408);
            assertThat(gateway.metric(CLIENT_TIMEOUTS, "kind=\"header\"")).isEqualTo(1.0);
        }
    }

    @Test
    void aRequestTimeoutWhileTheClientIsStillSendingIs408AndNoFailureOfTheRoute() throws Exception {
        try (RawBackend backend = RawBackend.counting();
             TestGateway gateway = TestGateway.start(config("", "request_timeout: 300ms\n    " + STREAMING,
                     backend.port()));
             RawHttp client = gateway.connect()) {
            client.send(RawHttp.request("POST", "/upload", "Content-Length: 100") + "0123456789");
            Reply reply = Reply.parse(client.readResponse());

            assertThat(reply.status()).as("%s", reply).isEqualTo(408);
            assertThat(reply.errorCode()).isEqualTo("request_timeout");
            assertThat(closedByGateway(client)).as("client connection closed").isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> backend.closedMidBody() == 1);
            assertNoVerdictOnTheBackend(gateway, backend.port());
        }
    }

    @Test
    void aBodyGapDoesNotCountWhileTheBackendIsSlowToTakeTheBody() throws Exception {
        AtomicLong sent = new AtomicLong();
        AtomicLong sentWhenTheBackendReadOn = new AtomicLong(-1);
        try (RawBackend backend = new RawBackend(SMALL_BUFFER, connection -> {
                 long length = RawBackend.contentLength(connection.readHead());
                 Thread.sleep(1_500); // a backend busy elsewhere: five body timeouts without reading
                 sentWhenTheBackendReadOn.set(sent.get());
                 connection.respond(200, Long.toString(connection.skip(length)));
             });
             TestGateway gateway = TestGateway.start(config("request_body: 300ms", "", backend.port()));
             Socket client = smallBufferedSocket(gateway)) {
            Thread uploader = upload(client, "/upload", HUGE_BODY, sent);
            Reply reply = Reply.parse(readResponse(client));
            uploader.join(5_000);

            assertThat(sentWhenTheBackendReadOn.get()).as("body bytes the client could send while the backend"
                    + " did not read: backpressure reached the client").isBetween(0L, HUGE_BODY - 1);
            assertThat(reply.status()).as("%s", reply).isEqualTo(200);
            assertThat(reply.body()).isEqualTo(Long.toString(HUGE_BODY));
            assertThat(gateway.metric(CLIENT_TIMEOUTS, "kind=\"body\"")).isZero();
        }
    }

    @Test
    void theResponseTimeoutStartsOnceTheRequestIsSentSoASlowUploadIsNot504() throws Exception {
        byte[] body = new byte[5 * 1000];
        new PatternStream(body.length).read(body);
        CRC32 crc = new CRC32();
        crc.update(body);
        try (StreamingBackend backend = new StreamingBackend();
             TestGateway gateway = TestGateway.start(config("", "response_timeout: 300ms\n    " + STREAMING,
                     backend.port()));
             RawHttp client = gateway.connect()) {
            client.socket().setSoTimeout(5_000);
            client.send(RawHttp.request("POST", "/upload", "Content-Length: " + body.length));
            OutputStream out = client.socket().getOutputStream();
            for (int part = 0; part < 5; part++) {
                Thread.sleep(150); // a slow client's pace: 750 ms in all, more than the response timeout
                out.write(body, part * 1000, 1000);
                out.flush();
            }
            Reply reply = Reply.parse(client.readResponse());

            assertThat(reply.status()).as("%s", reply).isEqualTo(200);
            assertThat(reply.body()).isEqualTo(body.length + " " + crc.getValue());
        }
    }

    @Test
    void aBackendThatStopsTakingTheBodyIsStillTimedOutBy504() throws Exception {
        CountDownLatch testOver = new CountDownLatch(1);
        try (RawBackend backend = new RawBackend(SMALL_BUFFER, connection -> {
                 connection.readHead();
                 testOver.await(); // never reads the body
             });
             TestGateway gateway = TestGateway.start(config("", "response_timeout: 500ms", backend.port()));
             Socket client = smallBufferedSocket(gateway)) {
            upload(client, "/upload", HUGE_BODY, new AtomicLong());
            Reply reply = Reply.parse(readResponse(client));

            assertThat(reply.status()).as("%s", reply).isEqualTo(504);
            assertThat(reply.errorCode()).isEqualTo("gateway_timeout");
            assertThat(gateway.metric(CLIENT_TIMEOUTS, "kind=\"body\"")).isZero();
        } finally {
            testOver.countDown();
        }
    }

    @Test
    void aRefusedRequestWhoseBodyNeverArrivesIsClosedAfterTheDiscardBound() throws Exception {
        try (RawBackend backend = RawBackend.counting();
             TestGateway gateway = TestGateway.start(getOnly("discard_body: 300ms", backend.port()));
             RawHttp client = gateway.connect()) {
            client.send(RawHttp.request("POST", "/refused", "Content-Length: 1000") + "0123456789");
            Reply reply = Reply.parse(client.readResponse());

            assertThat(reply.status()).as("%s", reply).isEqualTo(405);
            assertThat(closedByGateway(client)).as("closed, not kept open for a body that never comes").isTrue();
            assertThat(gateway.metric(CLIENT_TIMEOUTS, "kind=\"discard\"")).isEqualTo(1.0);
        }
    }

    @Test
    void aClientThatStopsReadingARelayedResponseIsDisconnectedAndTheBackendNotBlamed() throws Exception {
        long size = 1024L * 1024 * 1024;
        try (StreamingBackend backend = new StreamingBackend();
             TestGateway gateway = TestGateway.start(config("send: 300ms", "", backend.port()));
             Socket client = smallBufferedSocket(gateway)) {
            client.getOutputStream().write(RawHttp.request("GET", "/download?bytes=" + size)
                    .getBytes(StandardCharsets.ISO_8859_1));
            // ... and never reads.

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> gateway.metric(CLIENT_TIMEOUTS, "kind=\"send\"") == 1.0);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(gateway.metric("gatehouse_client_connections")).isZero();
                assertThat(gateway.metric("gatehouse_pool_connections", "state=\"active\"")).isZero();
                assertThat(gateway.metric("gatehouse_pool_connections", "state=\"idle\"")).as("closed, not pooled")
                        .isZero();
            });
            assertNoVerdictOnTheBackend(gateway, backend.port());
        }
    }

    @Test
    void aClientThatStopsReadingTheGatewaysOwnAnswersIsDisconnected() throws Exception {
        // A route's own breaker and bulkhead have series from the start: 1,000 such routes make each scrape about
        // half a MiB.
        StringBuilder routes = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            routes.append("  - {id: r").append(i).append(", match: {path_prefix: /r").append(i)
                    .append("}, pool: p, circuit_breaker: {}, max_concurrent_requests: 10}\n");
        }
        try (RawBackend backend = RawBackend.counting();
             TestGateway gateway = TestGateway.start(config("send: 300ms", "", backend.port()) + routes);
             Socket client = smallBufferedSocket(gateway)) {
            // Pipelined scrapes, far more than the socket buffers hold, and not one answer read.
            byte[] scrape = RawHttp.request("GET", "/metrics").getBytes(StandardCharsets.ISO_8859_1);
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 1_000; i++) {
                        client.getOutputStream().write(scrape);
                    }
                } catch (IOException e) {
                    // the gateway closed the connection
                }
            });
            writer.start();

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> gateway.metric(CLIENT_TIMEOUTS, "kind=\"send\"") == 1.0);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> gateway.metric("gatehouse_client_connections") == 0.0);
            client.close();
            writer.join(5_000);
        }
    }

    /**
     * Pool {@code p} with one backend and route {@code r} for every path, with breakers (the pool's and the
     * route's) and outlier detection that act on the first failure, so that any verdict against the backend shows.
     */
    private static String config(String serverTimeouts, String routeKeys, int port) {
        return "server: {limits: {max_body_bytes: 1GiB}, timeouts: {" + serverTimeouts + "}}\n"
                + "pools:\n  p:\n    backends: [\"http://127.0.0.1:" + port + "\"]\n"
                + "    circuit_breaker: {consecutive_failures: 1, open_for: 1m}\n"
                + "    outlier_detection: {consecutive_failures: 1, base_ejection_time: 1m, max_ejected: 100%}\n"
                + "routes:\n  - id: r\n    match: {path_prefix: /}\n    pool: p\n"
                + "    circuit_breaker: {consecutive_failures: 1, open_for: 1m}\n"
                + "    " + routeKeys + "\n";
    }

    /** Like {@link #config}, with a route that takes GET only: any other method is refused with 405. */
    private static String getOnly(String serverTimeouts, int port) {
        return config(serverTimeouts, "", port).replace("{path_prefix: /}", "{path_prefix: /, methods: [GET]}");
    }

    /** Breakers closed, nothing ejected, and the backend still serves a request through the gateway. */
    private static void assertNoVerdictOnTheBackend(TestGateway gateway, int port) {
        String backend = "backend=\"127.0.0.1:" + port + "\"";
        assertThat(gateway.metric("gatehouse_circuit_breaker_state", backend)).isZero();
        assertThat(gateway.metric("gatehouse_backend_ejected", backend)).isZero();
        assertThat(gateway.metric("gatehouse_route_circuit_breaker_state", "route=\"r\"")).isZero();
    }

    /** A client socket whose own buffers are small, so that a stalled peer shows quickly. */
    private static Socket smallBufferedSocket(TestGateway gateway) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(SMALL_BUFFER);
        socket.setSendBufferSize(SMALL_BUFFER);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()));
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Starts sending a POST with a {@code size}-byte body on another thread, counting what the socket took. */
    private static Thread upload(Socket client, String path, long size, AtomicLong sent) {
        Thread uploader = new Thread(() -> {
            try (InputStream body = new PatternStream(size)) {
                OutputStream out = client.getOutputStream();
                out.write(RawHttp.request("POST", path, "Content-Length: " + size)
                        .getBytes(StandardCharsets.ISO_8859_1));
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = body.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    sent.addAndGet(n);
                }
            } catch (IOException e) {
                // the gateway answered and closed before the whole body went out
            }
        });
        uploader.start();
        return uploader;
    }

    private static String readResponse(Socket client) throws IOException {
        return RawHttp.over(client).readResponse();
    }
}
