package io.gatehouse.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.RawBackend;
import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backend whose chunked body turns malformed: what the client gets depends on whether any of the response had
 * reached it, and the access log and metrics record what the client actually got.
 */
class MalformedResponseBodyTest {
    private static final String CHUNKED_HEAD = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final String BAD_CHUNK = "zz\r\nnot a chunk size\r\n0\r\n\r\n";

    @Test
    void aBadFirstChunkInTheHeadsReadIsAnswered502AndLoggedAs502() throws Exception {
        try (RawBackend backend = RawBackend.start(connection -> {
                connection.readHead();
                connection.send(CHUNKED_HEAD + BAD_CHUNK); // one write: head and bad chunk in one read
                connection.awaitClose();
            });
             TestGateway gateway = TestGateway.start(directRoute(backend.port()));
             RawHttp client = gateway.connect()) {
            Reply reply = Reply.parse(client.send(RawHttp.request("GET", "/items", "X-Request-ID: bad-first"))
                    .readResponse());

            assertThat(reply.status()).as("%s", reply).isEqualTo(502);
            assertThat(reply.header("Content-Type")).isEqualTo("application/json");
            assertThat(reply.errorCode()).isEqualTo("bad_gateway");
            JsonNode line = gateway.accessLogLine("bad-first");
            assertThat(line.get("status").asInt()).isEqualTo(502);
            assertThat(line.has("aborted")).isFalse();
            assertThat(gateway.metric("gatehouse_requests_total", "route=\"r\"", "status_class=\"5xx\""))
                    .isEqualTo(1);
            assertThat(gateway.metric("gatehouse_requests_total", "route=\"r\"", "status_class=\"2xx\"")).isNaN();
        }
    }

    @Test
    void aBadChunkAfterRelayedOnesCutsTheResponseAndIsLoggedAborted() throws Exception {
        CountDownLatch firstChunkSeen = new CountDownLatch(1);
        try (RawBackend backend = RawBackend.start(connection -> {
                connection.readHead();
                connection.send(CHUNKED_HEAD + "5\r\nhello\r\n");
                firstChunkSeen.await(5, TimeUnit.SECONDS);
                connection.send(BAD_CHUNK);
                connection.awaitClose();
            });
             TestGateway gateway = TestGateway.start(directRoute(backend.port()));
             RawHttp client = gateway.connect()) {
            client.send(RawHttp.request("GET", "/items", "X-Request-ID: bad-later"));
            String start = readUntil(client.socket().getInputStream(), "hello");
            firstChunkSeen.countDown();
            String rest = client.readUntilClose();

            assertThat(start).startsWith("HTTP/1.1 200 OK\r\n");
            assertThat(start + rest).as("no terminating chunk: the cut is visible").doesNotContain("0\r\n\r\n");
            JsonNode line = gateway.accessLogLine("bad-later");
            assertThat(line.get("status").asInt()).isEqualTo(200);
            assertThat(line.get("aborted").asBoolean()).isTrue();
            assertThat(gateway.metric("gatehouse_responses_aborted_total", "route=\"r\"")).isEqualTo(1);
        }
    }

    /** Reads until {@code marker} has arrived; fails on end of stream or the socket's read timeout. */
    private static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        while (!received.toString(StandardCharsets.ISO_8859_1).contains(marker)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before \"" + marker + "\" arrived: " + received);
            }
            received.write(b);
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    private static String directRoute(int port) {
        return """
                routes:
                  - id: r
                    match: {path_prefix: /}
                    upstream: "http://127.0.0.1:%d"
                    response_timeout: 5s
                """.formatted(port);
    }
}
