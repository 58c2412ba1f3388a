package io.gatehouse.resilience;

import static io.gatehouse.resilience.ResilienceFixtures.SERVED_BY;
import static io.gatehouse.resilience.ResilienceFixtures.backend;
import static io.gatehouse.resilience.ResilienceFixtures.config;
import static io.gatehouse.resilience.ResilienceFixtures.get;
import static io.gatehouse.resilience.ResilienceFixtures.millisSince;
import static io.gatehouse.resilience.ResilienceFixtures.reply;
import static io.gatehouse.resilience.ResilienceFixtures.routeLabel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gatehouse.resilience.ResilienceFixtures.FirstRequest;
import io.gatehouse.resilience.ResilienceFixtures.Hold;
import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.TestGateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The four time limits of a proxied request (connect, response per attempt, idle body gap, whole request), as a
 * client sees them, and a route's values overriding its pool's.
 */
class TimeoutIntegrationTest {
    private static final int BODY_BYTES = 64 * 1024;

    private final Hold hold = new Hold();

    @AfterEach
    void releaseHeldRequests() {
        hold.close();
    }

    @Test
    void aRouteResponseTimeoutOverridesThePoolsAndAnswers504() throws Exception {
        MockWebServer slow = hold.backend("slow", request -> hold.thenReply("too late"));
        try (TestGateway gateway = TestGateway.start(config("response_timeout: 10s", "response_timeout: 300ms",
                slow.getPort()))) {
            long start = System.nanoTime();
            HttpResponse<String> response = get(gateway, "/slow");
            long elapsed = millisSince(start);

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(response.body()).contains("\"error\":\"gateway_timeout\"");
            assertThat(elapsed).as("ms until the 300 ms route timeout answered").isBetween(250L, 5_000L);
        }
    }

    @Test
    void aConnectionsEarlierRequestsNeitherCutShortNorCancelALaterRequestsResponseTimeout() throws Exception {
        // The response timer is one re-armed deadline per client connection: the fast requests arm and disarm it,
        // and its task, due 400 ms after the first of them, must re-arm itself for the slow request's own 400 ms.
        MockWebServer backend = hold.backend("b",
                request -> request.getTarget().startsWith("/slow") ? hold.thenReply("too late") : reply(200, "fast"));
        try (TestGateway gateway = TestGateway.start(config("response_timeout: 400ms", "", backend.getPort()));
             RawHttp client = new RawHttp(gateway.port())) {
            for (int i = 0; i < 3; i++) {
                assertThat(client.send(RawHttp.request("GET", "/fast")).readResponse()).startsWith("HTTP/1.1 200");
            }
            long start = System.nanoTime();
            String slow = client.send(RawHttp.request("GET", "/slow")).readResponse();
            long elapsed = millisSince(start);

            assertThat(slow).startsWith("HTTP/1.1 504").contains("\"error\":\"gateway_timeout\"");
            assertThat(elapsed).as("ms until the slow request's own 400 ms timeout answered").isBetween(350L, 5_000L);
        }
    }

    @Test
    void aResponseTimeoutIsRetriedOnAnotherBackendWhenTheRouteRetries504() throws Exception {
        FirstRequest script = new FirstRequest(request -> hold.thenReply("too late"));
        MockWebServer a = hold.backend("a", script.at("a"));
        MockWebServer b = hold.backend("b", script.at("b"));
        try (TestGateway gateway = TestGateway.start(config("", """
                response_timeout: 300ms
                retry: {attempts: 2, on: [504], backoff: {base: 1ms, max: 1ms, jitter: none}}
                """, a.getPort(), b.getPort()))) {
            long start = System.nanoTime();
            HttpResponse<String> response = get(gateway, "/items");
            long elapsed = millisSince(start);

            String fast = script.other();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue(SERVED_BY)).hasValue(fast);
            assertThat(response.body()).isEqualTo("ok from " + fast);
            // Well under the 10 s the slow backend holds its answer; a loaded CI machine can take seconds.
            assertThat(elapsed).as("ms: one response timeout, then the fast backend").isBetween(250L, 9_000L);
            assertThat(gateway.metric("gatehouse_retries_total", routeLabel(), "reason=\"504\"")).isEqualTo(1.0);
        }
    }

    @Test
    void theRequestTimeoutBoundsAllAttemptsTogether() throws Exception {
        MockWebServer a = hold.backend("a", request -> hold.thenReply("too late"));
        MockWebServer b = hold.backend("b", request -> hold.thenReply("too late"));
        try (TestGateway gateway = TestGateway.start(config("response_timeout: 2s", """
                request_timeout: 500ms
                retry: {attempts: 2, on: [504], backoff: {base: 1ms, max: 1ms, jitter: none}}
                """, a.getPort(), b.getPort()))) {
            long start = System.nanoTime();
            HttpResponse<String> response = get(gateway, "/items");
            long elapsed = millisSince(start);

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(response.body()).contains("\"error\":\"gateway_timeout\"");
            assertThat(elapsed).as("ms until the 500 ms request timeout answered").isBetween(450L, 1_500L);
        }
    }

    @Test
    void aBackendStallingMidBodyPastTheIdleTimeoutEndsTheClientConnection() throws Exception {
        try (MockWebServer stalling = backend("stalling", request -> new MockResponse.Builder()
                .body(new Buffer().write(new byte[BODY_BYTES]))
                .throttleBody(4 * 1024, 10, TimeUnit.MILLISECONDS)
                .onResponseBody(SocketEffect.Stall.INSTANCE)); // after half of the body
             TestGateway gateway = TestGateway.start(config("idle_timeout: 300ms", "", stalling.getPort()));
             RawHttp client = new RawHttp(gateway.port())) {
            client.socket().setSoTimeout(6_000);
            long start = System.nanoTime();
            String received = client.send(RawHttp.request("GET", "/big")).readUntilClose();
            long elapsed = millisSince(start);

            int headEnd = received.indexOf("\r\n\r\n");
            assertThat(headEnd).as("a response head arrived: %s", received).isPositive();
            assertThat(received).startsWith("HTTP/1.1 200");
            assertThat(received.substring(0, headEnd).toLowerCase()).contains("content-length: " + BODY_BYTES);
            assertThat(elapsed).as("ms until the connection ended (not the client's 6 s read timeout)")
                    .isLessThan(4_000);
            assertThat(received.length() - headEnd - 4).as("body bytes before the connection ended")
                    .isLessThan(BODY_BYTES);
        }
    }

    @Test
    void theIdleTimeoutIsAGapBetweenReadsNotALimitOnTheWholeBody() throws Exception {
        // About 500 ms of body in 100 ms steps: longer than the idle timeout in all, but no gap is.
        try (MockWebServer trickling = backend("trickling", request -> new MockResponse.Builder()
                .body(new Buffer().write(new byte[1000]))
                .throttleBody(200, 100, TimeUnit.MILLISECONDS));
             TestGateway gateway = TestGateway.start(config("idle_timeout: 60s", "idle_timeout: 350ms",
                     trickling.getPort()))) {
            HttpResponse<String> response = get(gateway, "/trickle");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).hasSize(1000);
        }
    }

    @Test
    void aRouteConnectTimeoutAnswers502WhenTheBackendNeverAcceptsTheConnection() throws Exception {
        try (Unaccepting backend = new Unaccepting();
             TestGateway gateway = TestGateway.start(config("connect_timeout: 10s",
                     "connect_timeout: 300ms\nretry: {attempts: 1}", backend.port()))) {
            long start = System.nanoTime();
            HttpResponse<String> response = get(gateway, "/items");
            long elapsed = millisSince(start);

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("\"error\":\"bad_gateway\"");
            assertThat(elapsed).as("ms until the 300 ms connect timeout answered").isBetween(250L, 3_000L);
        }
    }

    /**
     * A loopback listener whose accept queue is full, so that the next connection attempt to it is neither accepted
     * nor refused: the SYN is dropped and the connect times out. Skips the test where the OS behaves otherwise.
     */
    private static final class Unaccepting implements AutoCloseable {
        private final ServerSocket listener;
        private final List<Socket> queued = new ArrayList<>();

        Unaccepting() throws IOException {
            listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            boolean full = false;
            for (int i = 0; i < 8 && !full; i++) {
                Socket socket = new Socket();
                try {
                    socket.connect(listener.getLocalSocketAddress(), 300);
                    queued.add(socket);
                } catch (SocketTimeoutException e) {
                    socket.close();
                    full = true;
                }
            }
            if (!full) {
                close();
            }
            assumeTrue(full, "this OS does not let a connect to a full accept queue time out");
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            for (Socket socket : queued) {
                socket.close();
            }
            listener.close();
        }
    }
}
