package io.gatehouse.proxy;

import ch.qos.logback.classic.Level;
import io.gatehouse.testing.CapturedLogs;
import io.gatehouse.testing.RawBackend;
import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * For each way a backend can fail before it answers, the client gets a stable code and a generic message that
 * names no backend address and no exception text, and the log gets one line with the request ID and the detail.
 */
class UpstreamErrorDetailTest {
    enum Failure {
        CONNECT_REFUSED(502, "bad_gateway", "Connection refused"),
        RESET_BEFORE_RESPONSE(502, "bad_gateway", "Connection reset"),
        INVALID_RESPONSE(502, "bad_gateway", "Line Feed must be preceded by Carriage Return"),
        RESPONSE_TIMEOUT(504, "gateway_timeout", "300 ms");

        final int status;
        final String code;
        final String detail;

        Failure(int status, String code, String detail) {
            this.status = status;
            this.code = code;
            this.detail = detail;
        }

        /** A backend that fails this way; null for a refused connection (nothing listens). */
        RawBackend backend() throws IOException {
            return switch (this) {
                case CONNECT_REFUSED -> null;
                case RESET_BEFORE_RESPONSE -> RawBackend.start(connection -> {
                    connection.readHead();
                    connection.reset();
                });
                case INVALID_RESPONSE -> RawBackend.start(connection -> {
                    connection.readHead();
                    connection.send("HTTP/1.1 200 OK\nContent-Length: 0\n\n"); // bare line feeds
                    connection.awaitClose();
                });
                case RESPONSE_TIMEOUT -> RawBackend.start(connection -> {
                    connection.readHead();
                    connection.awaitClose(); // never answers
                });
            };
        }
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void theClientGetsAStableCodeAndTheLogGetsTheDetail(Failure failure) throws Exception {
        RawBackend backend = failure.backend();
        int port = backend == null ? closedPort() : backend.port();
        String requestId = "detail-" + failure.ordinal();
        try (backend;
             CapturedLogs logs = CapturedLogs.all();
             TestGateway gateway = TestGateway.start(route(port));
             RawHttp client = gateway.connect()) {
            Reply reply = Reply.parse(client.send(RawHttp.request("GET", "/items", "X-Request-ID: " + requestId))
                    .readResponse());

            assertThat(reply.status()).as("%s", reply).isEqualTo(failure.status);
            assertThat(reply.errorCode()).isEqualTo(failure.code);
            assertThat(reply.body()).contains("\"request_id\":\"" + requestId + "\"");
            assertThat(reply.body().toLowerCase()).as("no internals in %s", reply.body())
                    .doesNotContain("127.0.0.1", String.valueOf(port), "exception", "refused", "reset", "line feed",
                            "300");
            List<String> lines = await().atMost(Duration.ofSeconds(2)).until(
                    () -> logs.messages(Level.WARN).stream().filter(m -> m.contains(requestId)).toList(),
                    found -> !found.isEmpty());
            assertThat(lines.get(0)).contains("127.0.0.1:" + port, failure.detail, "route r")
                    .doesNotContain("\n");
        }
    }

    private static String route(int port) {
        return """
                routes:
                  - id: r
                    match: {path_prefix: /}
                    upstream: "http://127.0.0.1:%d"
                    response_timeout: 300ms
                    retry: {attempts: 1}
                """.formatted(port);
    }

    /** A port nothing listens on. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
