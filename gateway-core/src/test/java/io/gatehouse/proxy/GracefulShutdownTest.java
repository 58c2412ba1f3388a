package io.gatehouse.proxy;

import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.TestGateway;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code GatewayServer.shutdown(grace)}: in-flight requests finish within the grace, the rest are cut off. */
class GracefulShutdownTest {

    @Test
    void inFlightRequestCompletesWhileDrainingAndThePortIsClosedAfterwards() throws Exception {
        try (MockWebServer backend = backendAnswering(800, "done");
             TestGateway gateway = TestGateway.start(route(backend.getPort()));
             RawHttp client = new RawHttp(gateway.port())) {
            int port = gateway.port();
            CompletableFuture<String> response = inFlight(client, backend);

            long start = System.nanoTime();
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(
                    () -> gateway.server().shutdown(Duration.ofSeconds(5)));
            await().atMost(Duration.ofMillis(500)).pollInterval(Duration.ofMillis(10))
                    .until(() -> !gateway.server().runtime().readiness().report().ready());
            assertThat(response).as("the request is still in flight while the gateway drains").isNotDone();

            String answer = response.get(3, TimeUnit.SECONDS);
            assertThat(answer).startsWith("HTTP/1.1 200 ");
            assertThat(answer).endsWith("\r\n\r\ndone");
            assertThat(answer.toLowerCase()).as("a draining gateway ends the connection")
                    .contains("connection: close");
            assertThat(client.isClosedByPeer()).isTrue();

            shutdown.get(3, TimeUnit.SECONDS);
            assertThat(millisSince(start)).as("shutdown returns once drained, not after the whole grace")
                    .isLessThan(3000);
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void requestSlowerThanTheGraceIsCutOffAndShutdownReturnsPromptly() throws Exception {
        try (MockWebServer backend = backendAnswering(3000, "too late");
             TestGateway gateway = TestGateway.start(route(backend.getPort()));
             RawHttp client = new RawHttp(gateway.port())) {
            CompletableFuture<String> response = inFlight(client, backend);

            long start = System.nanoTime();
            gateway.server().shutdown(Duration.ofMillis(300));
            assertThat(millisSince(start)).as("shutdown honours the grace, then stops").isBetween(250L, 1200L);

            String received = response.get(2, TimeUnit.SECONDS);
            assertThat(received).as("the cut-off client gets no successful response")
                    .doesNotStartWith("HTTP/1.1 200");
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private static MockWebServer backendAnswering(long delayMillis, String body) throws IOException {
        MockWebServer backend = new MockWebServer();
        backend.enqueue(new MockResponse.Builder().code(200).body(body)
                .headersDelay(delayMillis, TimeUnit.MILLISECONDS).build());
        backend.start(0);
        return backend;
    }

    private static String route(int port) {
        return """
                routes:
                  - id: r
                    match: {path_prefix: /}
                    upstream: "http://127.0.0.1:%d"
                    response_timeout: 10s
                """.formatted(port);
    }

    /**
     * Sends a request and returns, once the backend has received it, everything the client reads until the
     * connection closes or one response is complete.
     */
    private static CompletableFuture<String> inFlight(RawHttp client, MockWebServer backend) throws Exception {
        client.socket().setSoTimeout(5000);
        client.send("GET /slow HTTP/1.1\r\nHost: gw\r\n\r\n");
        CompletableFuture<String> response = CompletableFuture.supplyAsync(() -> {
            try {
                return client.readResponse();
            } catch (IOException closedEarly) {
                return closedEarly.getMessage(); // "connection closed after N bytes: ..." or a reset
            }
        });
        assertThat(backend.takeRequest(2, TimeUnit.SECONDS)).as("request reached the backend").isNotNull();
        return response;
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
