package io.gatehouse.pool;

import ch.qos.logback.classic.Level;
import io.gatehouse.testing.CapturedLogs;
import io.gatehouse.testing.H2Backend;
import io.gatehouse.testing.PatternStream;
import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestGateway;
import io.gatehouse.testing.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an HTTP/1.1 client sees of a backend that speaks HTTP/2 (h2c, or h2 over TLS with ALPN): bodies re-framed,
 * trailers kept, large bodies streamed both ways under HTTP/2 flow control, a reset stream shown as a cut, a backend
 * without HTTP/2 refused clearly, and health checks spoken in HTTP/2.
 */
class Http2UpstreamTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final long SIXTEEN_MIB = 16L * 1024 * 1024;

    @TempDir
    static Path dir;
    private static TestPki.Authority ca;
    private static Path caFile;

    @BeforeAll
    static void pki() {
        ca = TestPki.authority("Backend CA");
        caFile = ca.writeTo(dir.resolve("ca.pem"));
    }

    private static String pool(String protocol, String url, String extra) {
        return """
                pools:
                  api:
                    protocol: %s
                    backends: ["%s"]
                    %s
                routes:
                  - {id: r, match: {path_prefix: /}, pool: api, response_timeout: 10s}
                """.formatted(protocol, url, extra);
    }

    private static String h2c(H2Backend backend) {
        return pool("h2c", "http://127.0.0.1:" + backend.port(), "");
    }

    private static String get(String path) {
        return RawHttp.request("GET", path, "Host: gw");
    }

    @Test
    void h2OverTlsNegotiatedWithAlpn() throws Exception {
        try (H2Backend backend = H2Backend.tls(ca.server("localhost"), "h2");
             TestGateway gateway = TestGateway.start(pool("h2", "https://localhost:" + backend.port(),
                     "tls: {ca: " + caFile + "}"))) {
            HttpResponse<String> response = gateway.get("/over/tls");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("h2 GET /over/tls authority=localhost:" + backend.port());
        }
    }

    @Test
    void aBackendThatPicksHttp11InAlpnIsRefusedLoggedAndCounted() throws Exception {
        try (H2Backend backend = H2Backend.tls(ca.server("localhost"), "http/1.1");
             TestGateway gateway = TestGateway.start(pool("h2", "https://localhost:" + backend.port(),
                     "tls: {ca: " + caFile + "}"));
             CapturedLogs logs = CapturedLogs.all()) {
            HttpResponse<String> response = gateway.get("/x");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).startsWith("{\"error\":\"upstream_tls_failed\",");
            assertThat(gateway.metric("gatehouse_upstream_tls_failures_total", "reason=\"alpn_refused\""))
                    .as("each attempt, the retry included").isPositive();
            assertThat(logs.messages(Level.WARN)).anySatisfy(line -> assertThat(line)
                    .contains("TLS connection failed to backend localhost:" + backend.port())
                    .contains("alpn_refused").contains("selected http/1.1 in ALPN instead of h2"));
        }
    }

    @Test
    void aResponseWithoutContentLengthIsChunkedForAnHttp11Client() throws Exception {
        try (H2Backend backend = H2Backend.h2c(null);
             TestGateway gateway = TestGateway.start(h2c(backend));
             RawHttp client = gateway.connect()) {
            String head = client.send(get("/nolength")).readHead().toLowerCase();

            assertThat(head).startsWith("http/1.1 200").contains("transfer-encoding: chunked\r\n")
                    .doesNotContain("content-length").doesNotContain("x-http2");
            assertThat(readChunked(client.socket().getInputStream())).isEqualTo("abcdef\n");
        }
    }

    @Test
    void trailersFromTheBackendReachAnHttp11ClientAsChunkedTrailers() throws Exception {
        try (H2Backend backend = H2Backend.h2c(null);
             TestGateway gateway = TestGateway.start(h2c(backend));
             RawHttp client = gateway.connect()) {
            client.send(get("/trailers")).readHead();

            assertThat(readChunked(client.socket().getInputStream()))
                    .isEqualTo("body before trailers\nx-checksum: 42\ngrpc-status: 0\n");
        }
    }

    @Test
    void aTrailersOnlyResponseArrivesAsAHeadAndAnEmptyBody() throws Exception {
        try (H2Backend backend = H2Backend.h2c(null);
             TestGateway gateway = TestGateway.start(h2c(backend));
             RawHttp client = gateway.connect()) {
            String head = client.send(get("/trailers-only")).readHead().toLowerCase();

            assertThat(head).startsWith("http/1.1 200").contains("x-only: yes\r\n").contains("grpc-status: 5\r\n");
            assertThat(readChunked(client.socket().getInputStream())).isEqualTo("\n");
        }
    }

    @Test
    void aStreamResetMidResponseIsACutNotACleanEnd() throws Exception {
        try (H2Backend backend = H2Backend.h2c(null);
             TestGateway gateway = TestGateway.start(h2c(backend));
             RawHttp client = gateway.connect()) {
            String received = client.send(get("/reset")).readUntilClose();

            int headEnd = received.indexOf("\r\n\r\n");
            assertThat(received).startsWith("HTTP/1.1 200");
            assertThat(received.substring(0, headEnd).toLowerCase()).contains("content-length: 100000");
            assertThat(received.length() - headEnd - 4).as("body bytes before the cut").isEqualTo(1000);
        }
    }

    @Test
    void aDeadBackendIsA502WithAJsonError() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (TestGateway gateway = TestGateway.start(pool("h2c", "http://127.0.0.1:" + port, ""))) {
            Reply reply = gateway.exchange(get("/x"));

            assertThat(reply.status()).isEqualTo(502);
            assertThat(reply.header("content-type")).startsWith("application/json");
            assertThat(reply.errorCode()).isEqualTo("bad_gateway");
        }
    }

    @Test
    void aLargeUploadStreamsThroughIntact() throws Exception {
        try (H2Backend backend = H2Backend.h2c(null);
             TestGateway gateway = TestGateway.start("server: {limits: {max_body_bytes: 32MiB}}\n" + h2c(backend))) {
            HttpRequest request = HttpRequest.newBuilder(gateway.uri("/upload"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(SIXTEEN_MIB))).build();

            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(SIXTEEN_MIB + " " + PatternStream.crc32(SIXTEEN_MIB));
        }
    }

    @Test
    void aClientThatStopsReadingHoldsBackTheBackendThroughFlowControl() throws Exception {
        long size = 4 * SIXTEEN_MIB;
        try (H2Backend backend = H2Backend.h2c(null);
             TestGateway gateway = TestGateway.start(h2c(backend));
             Socket client = new Socket()) {
            client.setReceiveBufferSize(64 * 1024);
            client.connect(new java.net.InetSocketAddress("127.0.0.1", gateway.port()));
            OutputStream out = client.getOutputStream();
            out.write(get("/download?bytes=" + size).getBytes(StandardCharsets.US_ASCII));
            out.flush();

            // The client reads nothing: socket buffers and one stream window hold a few MiB, never all 64.
            await().atMost(Duration.ofSeconds(5)).until(() -> backend.bytesWritten() > 0);
            await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5))
                    .until(() -> backend.bytesWritten() < 16L * 1024 * 1024);

            InputStream in = client.getInputStream();
            RawHttp.over(client).readHead();
            CRC32 crc = new CRC32();
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            while (total < size) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, size - total));
                assertThat(n).as("bytes before the end of the body").isPositive();
                crc.update(buf, 0, n);
                total += n;
            }
            assertThat(crc.getValue()).isEqualTo(PatternStream.crc32(size));
        }
    }

    @Test
    void aStreamWhoseClientStopsReadingDoesNotStallItsSiblingsOnTheConnection() throws Exception {
        try (H2Backend backend = H2Backend.h2c(null);
             TestGateway gateway = TestGateway.start(h2c(backend), 1);
             Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(64 * 1024);
            stalled.connect(new java.net.InetSocketAddress("127.0.0.1", gateway.port()));
            stalled.getOutputStream().write(get("/download?bytes=" + 4 * SIXTEEN_MIB)
                    .getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(5)).during(Duration.ofMillis(300))
                    .until(() -> backend.bytesWritten() > 0 && backend.openStreams() == 1);

            HttpResponse<byte[]> sibling = CLIENT.send(HttpRequest.newBuilder(gateway.uri("/download?bytes="
                    + SIXTEEN_MIB)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());

            assertThat(sibling.statusCode()).isEqualTo(200);
            assertThat(sibling.body()).hasSize((int) SIXTEEN_MIB);
            assertThat(backend.connections()).as("both streams on one connection").isEqualTo(1);
        }
    }

    @Test
    void healthChecksSpeakHttp2ToAnH2cBackend() throws Exception {
        try (H2Backend backend = H2Backend.h2c(null);
             TestGateway gateway = TestGateway.start(pool("h2c", "http://127.0.0.1:" + backend.port(),
                     "health_check: {path: /healthz, interval: 200ms, timeout: 200ms}"))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> backend.processed().contains(
                    "h2 GET /healthz authority=127.0.0.1:" + backend.port()));
            assertThat(gateway.backendHealthy("api", backend.port())).isEqualTo(1);
            assertThat(gateway.get("/after").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void healthChecksOfAnH2PoolNegotiateH2AndTakeOutABackendWithoutIt() throws Exception {
        try (H2Backend h2 = H2Backend.tls(ca.server("localhost"), "h2");
             H2Backend http11 = H2Backend.tls(ca.server("localhost"), "http/1.1");
             TestGateway gateway = TestGateway.start("""
                     pools:
                       api:
                         protocol: h2
                         backends: ["https://localhost:%d", "https://localhost:%d"]
                         tls: {ca: %s}
                         health_check: {path: /healthz, interval: 200ms, timeout: 200ms}
                     routes:
                       - {id: r, match: {path_prefix: /}, pool: api}
                     """.formatted(h2.port(), http11.port(), caFile))) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(gateway.metric("gatehouse_backend_healthy", "backend=\"localhost:" + h2.port() + "\""))
                        .isEqualTo(1);
                assertThat(gateway.metric("gatehouse_backend_healthy", "backend=\"localhost:" + http11.port()
                        + "\"")).isZero();
            });
            assertThat(h2.processed()).contains("h2 GET /healthz authority=localhost:" + h2.port());
            for (int i = 0; i < 4; i++) {
                assertThat(gateway.get("/r" + i).body()).startsWith("h2 GET /r" + i);
            }
        }
    }

    /** Reads a chunked body to its end: the data, a line break, then each trailer line with {@code \n}. */
    private static String readChunked(InputStream in) throws Exception {
        StringBuilder data = new StringBuilder();
        while (true) {
            int size = Integer.parseInt(line(in).trim(), 16);
            if (size == 0) {
                break;
            }
            data.append(new String(in.readNBytes(size), StandardCharsets.ISO_8859_1));
            line(in);
        }
        data.append('\n');
        for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
            data.append(trailer.toLowerCase()).append('\n');
        }
        return data.toString();
    }

    private static String line(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            assertThat(b).as("end of stream inside a chunked body").isNotNegative();
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
