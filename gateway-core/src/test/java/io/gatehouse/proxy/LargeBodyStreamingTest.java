package io.gatehouse.proxy;

import io.gatehouse.testing.PatternStream;
import io.gatehouse.testing.StreamingBackend;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 100 MiB bodies through the gateway in both directions. Surefire runs this class alone in a JVM with
 * {@code -Xmx128m} and 64 MiB of direct memory (see gateway-core/pom.xml): a gateway that aggregated bodies
 * would run out of memory instead of passing.
 */
class LargeBodyStreamingTest {
    private static final long HUNDRED_MIB = 100L * 1024 * 1024;
    private static StreamingBackend backend;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).as("this test must run with a small heap")
                .isLessThanOrEqualTo(160L * 1024 * 1024);
        backend = new StreamingBackend();
        gateway = TestGateway.start("""
                server: {limits: {max_body_bytes: 200MiB}}
                routes:
                  - {id: stream, match: {path_prefix: /}, upstream: "http://127.0.0.1:%d", response_timeout: 30s}
                """.formatted(backend.port()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    @Test
    void a100MiBChunkedUploadStreamsThroughIntact() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(gateway.uri("/upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(HUNDRED_MIB))).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(HUNDRED_MIB + " " + PatternStream.crc32(HUNDRED_MIB));
    }

    @Test
    void a100MiBDownloadStreamsThroughIntact() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(gateway.uri("/download?bytes=" + HUNDRED_MIB)).build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("content-length")).hasValue(HUNDRED_MIB);
        try (InputStream body = response.body()) {
            assertThat(countAndCrc(body)).isEqualTo(new long[] {HUNDRED_MIB, PatternStream.crc32(HUNDRED_MIB)});
        }
    }

    @Test
    void aClientThatStopsReadingHoldsBackTheBackend() throws Exception {
        long before = backend.bytesWritten();
        try (Socket client = new Socket()) {
            client.setReceiveBufferSize(64 * 1024);
            client.connect(new java.net.InetSocketAddress("127.0.0.1", gateway.port()));
            OutputStream out = client.getOutputStream();
            out.write(("GET /download?bytes=" + HUNDRED_MIB + " HTTP/1.1\r\nHost: gw\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            Thread.sleep(1500); // the client reads nothing meanwhile
            long writtenWhileStalled = backend.bytesWritten() - before;
            // Socket buffers on the way hold a few MiB; a gateway buffering the response would take all 100.
            assertThat(writtenWhileStalled).isLessThan(32L * 1024 * 1024);

            InputStream in = client.getInputStream();
            skipHead(in);
            assertThat(countAndCrc(in, HUNDRED_MIB)).isEqualTo(new long[] {HUNDRED_MIB, PatternStream.crc32(HUNDRED_MIB)});
        }
    }

    private static long[] countAndCrc(InputStream in) throws java.io.IOException {
        return countAndCrc(in, Long.MAX_VALUE);
    }

    private static long[] countAndCrc(InputStream in, long limit) throws java.io.IOException {
        CRC32 crc = new CRC32();
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        int n;
        while (total < limit && (n = in.read(buf, 0, (int) Math.min(buf.length, limit - total))) >= 0) {
            crc.update(buf, 0, n);
            total += n;
        }
        return new long[] {total, crc.getValue()};
    }

    private static void skipHead(InputStream in) throws java.io.IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("closed inside the response head");
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }
}
