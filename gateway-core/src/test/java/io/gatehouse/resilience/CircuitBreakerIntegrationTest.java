package io.gatehouse.resilience;

import static io.gatehouse.resilience.ResilienceFixtures.SERVED_BY;
import static io.gatehouse.resilience.ResilienceFixtures.backend;
import static io.gatehouse.resilience.ResilienceFixtures.backendLabel;
import static io.gatehouse.resilience.ResilienceFixtures.config;
import static io.gatehouse.resilience.ResilienceFixtures.count;
import static io.gatehouse.resilience.ResilienceFixtures.get;
import static io.gatehouse.resilience.ResilienceFixtures.getAsync;
import static io.gatehouse.resilience.ResilienceFixtures.millisSince;
import static io.gatehouse.resilience.ResilienceFixtures.poolLabel;
import static io.gatehouse.resilience.ResilienceFixtures.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gatehouse.resilience.ResilienceFixtures.Hold;
import io.gatehouse.testing.TestGateway;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A pool's per-backend circuit breakers: what opens them (a 5xx, or a body the backend breaks off), the 503 circuit_open answered without network I/O, the
 * half-open probe, and balancing around an open backend. Every route here has {@code attempts: 1}, so each client
 * request is exactly one call to the breaker.
 *
 * <p>The access log's {@code "breaker"} field is not checked: the access log is written straight to the stdout
 * file descriptor, bypassing {@code System.out} and logback, and no existing test captures it.
 */
class CircuitBreakerIntegrationTest {
    private static final String STATE = "gatehouse_circuit_breaker_state";
    private static final String TRANSITIONS = "gatehouse_circuit_breaker_transitions_total";
    private static final String NO_RETRIES = "retry: {attempts: 1}";
    private static final String THREE_IN_A_ROW = """
            circuit_breaker: {consecutive_failures: 3, failure_rate: 0, open_for: 1s, half_open_probes: 1}
            """;
    private static final long OPEN_FOR_MS = 1_000;
    private static final double CLOSED = 0;
    private static final double OPEN = 1;
    private static final double HALF_OPEN = 2;

    private final Hold probe = new Hold();

    @AfterEach
    void releaseHeldRequests() {
        probe.close();
    }

    @Test
    void consecutiveFailuresOpenTheBreakerThenASuccessfulProbeClosesIt() throws Exception {
        AtomicBoolean failing = new AtomicBoolean(true);
        MockWebServer flaky = probe.backend("flaky",
                request -> failing.get() ? reply(500, "broken") : probe.thenReply("recovered"));
        try (TestGateway gateway = TestGateway.start(config(THREE_IN_A_ROW, NO_RETRIES, flaky.getPort()))) {
            assertThat(state(gateway, flaky)).as("breaker state before any call").isEqualTo(CLOSED);
            long openedAt = failThreeTimes(gateway);
            awaitState(gateway, flaky, OPEN);
            assertThat(transitions(gateway, flaky, "open")).isEqualTo(1.0);

            HttpResponse<String> refused = get(gateway, "/items/refused");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("\"error\":\"circuit_open\"");
            assertThat(refused.headers().firstValue("Retry-After")).as("whole seconds until half-open").hasValue("1");
            assertThat(flaky.getRequestCount()).as("requests at the backend: none while open").isEqualTo(3);

            failing.set(false);
            sleepUntilOpenForHasPassed(openedAt);
            CompletableFuture<HttpResponse<String>> probing = getAsync(gateway, "/items/probe");
            await().atMost(Duration.ofSeconds(3)).until(() -> flaky.getRequestCount() == 4);
            assertThat(state(gateway, flaky)).as("state while the probe is in flight").isEqualTo(HALF_OPEN);
            assertThat(transitions(gateway, flaky, "half_open")).isEqualTo(1.0);

            probe.release();
            HttpResponse<String> probed = probing.get(5, TimeUnit.SECONDS);
            assertThat(probed.statusCode()).isEqualTo(200);
            assertThat(probed.body()).isEqualTo("recovered");
            awaitState(gateway, flaky, CLOSED);
            assertThat(transitions(gateway, flaky, "closed")).isEqualTo(1.0);
            assertThat(get(gateway, "/items/after").statusCode()).isEqualTo(200);
            assertThat(flaky.getRequestCount()).isEqualTo(5);
        }
    }

    @Test
    void aFailedProbeOpensTheBreakerAgain() throws Exception {
        try (MockWebServer broken = backend("broken", request -> reply(500, "broken"));
             TestGateway gateway = TestGateway.start(config(THREE_IN_A_ROW, NO_RETRIES, broken.getPort()))) {
            long openedAt = failThreeTimes(gateway);
            awaitState(gateway, broken, OPEN);
            sleepUntilOpenForHasPassed(openedAt);

            HttpResponse<String> probe = get(gateway, "/items/probe");
            assertThat(probe.statusCode()).as("the probe went through and its failure is relayed").isEqualTo(500);
            assertThat(broken.getRequestCount()).isEqualTo(4);
            awaitState(gateway, broken, OPEN);
            assertThat(transitions(gateway, broken, "half_open")).isEqualTo(1.0);
            assertThat(transitions(gateway, broken, "open")).isEqualTo(2.0);
            assertThat(count(gateway, TRANSITIONS, poolLabel(), backendLabel(broken), "to=\"closed\"")).isZero();

            HttpResponse<String> refused = get(gateway, "/items/refused");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("\"error\":\"circuit_open\"");
            assertThat(broken.getRequestCount()).isEqualTo(4);
        }
    }

    @Test
    void aFailureRateAtTheThresholdOverMinimumCallsOpensTheBreaker() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (MockWebServer alternating = backend("alternating", request -> calls.incrementAndGet() % 2 == 0
                     ? reply(500, "broken") : reply(200, "fine"));
             TestGateway gateway = TestGateway.start(config("""
                     circuit_breaker: {failure_rate: 50%, minimum_calls: 10, window: 10s, consecutive_failures: 0, \
                     open_for: 30s}
                     """, NO_RETRIES, alternating.getPort()))) {
            for (int call = 1; call <= 9; call++) {
                assertThat(get(gateway, "/items/" + call).statusCode()).as("call %d", call)
                        .isEqualTo(call % 2 == 0 ? 500 : 200);
            }
            assertThat(state(gateway, alternating)).as("state after 9 calls (under minimum_calls)").isEqualTo(CLOSED);

            assertThat(get(gateway, "/items/10").statusCode()).isEqualTo(500);
            awaitState(gateway, alternating, OPEN);

            HttpResponse<String> refused = get(gateway, "/items/11");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("\"error\":\"circuit_open\"");
            assertThat(refused.headers().firstValue("Retry-After").map(Integer::parseInt))
                    .as("whole seconds until half-open, rounded up").hasValueSatisfying(seconds ->
                            assertThat(seconds).isBetween(25, 30));
            assertThat(alternating.getRequestCount()).isEqualTo(10);
        }
    }

    @Test
    void withOneBreakerOpenAllTrafficGoesToTheOtherBackend() throws Exception {
        try (MockWebServer broken = backend("broken", request -> reply(500, "broken"));
             MockWebServer healthy = backend("healthy", request -> reply(200, "fine"));
             TestGateway gateway = TestGateway.start(config("""
                     circuit_breaker: {consecutive_failures: 2, failure_rate: 0, open_for: 30s}
                     """, NO_RETRIES, broken.getPort(), healthy.getPort()))) {
            for (int i = 0; i < 10 && broken.getRequestCount() < 2; i++) {
                get(gateway, "/warm/" + i);
            }
            awaitState(gateway, broken, OPEN);
            int healthyBefore = healthy.getRequestCount();

            for (int i = 0; i < 10; i++) {
                HttpResponse<String> response = get(gateway, "/items/" + i);
                assertThat(response.statusCode()).as("request %d: %s", i, response.body()).isEqualTo(200);
                assertThat(response.headers().firstValue(SERVED_BY)).hasValue("healthy");
            }
            assertThat(broken.getRequestCount()).as("requests at the open backend").isEqualTo(2);
            assertThat(healthy.getRequestCount()).isEqualTo(healthyBefore + 10);
            assertThat(state(gateway, healthy)).isEqualTo(CLOSED);
        }
    }

    @Test
    void aResponseBodyTheBackendBreaksOffCountsAsAFailure() throws Exception {
        try (MockWebServer stalling = backend("stalling", request -> new MockResponse.Builder()
                .body(new Buffer().write(new byte[64 * 1024]))
                .throttleBody(4 * 1024, 10, TimeUnit.MILLISECONDS)
                .onResponseBody(SocketEffect.Stall.INSTANCE)); // a 200 head, then half the body, then nothing
             TestGateway gateway = TestGateway.start(config(THREE_IN_A_ROW + "idle_timeout: 200ms\n", NO_RETRIES,
                     stalling.getPort()))) {
            for (int i = 0; i < 3; i++) {
                String path = "/big/" + i;
                assertThatThrownBy(() -> get(gateway, path)).as("a cut-off body is never a whole response")
                        .isInstanceOf(IOException.class);
            }
            awaitState(gateway, stalling, OPEN);
            assertThat(get(gateway, "/big/refused").statusCode()).isEqualTo(503);
        }
    }

    /** Three failed calls in a row; returns when the last failure was answered. */
    private static long failThreeTimes(TestGateway gateway) throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> failed = get(gateway, "/items/" + i);
            assertThat(failed.statusCode()).as("call %d", i).isEqualTo(500);
            assertThat(failed.body()).isEqualTo("broken");
        }
        return System.nanoTime();
    }

    /** Waits out open_for (plus a margin for a slow machine) counted from when the breaker opened. */
    private static void sleepUntilOpenForHasPassed(long openedAtNanos) throws InterruptedException {
        Thread.sleep(Math.max(0, OPEN_FOR_MS + 300 - millisSince(openedAtNanos)));
    }

    private static void awaitState(TestGateway gateway, MockWebServer backend, double state) {
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(state(gateway, backend)).as("breaker state of port %d", backend.getPort())
                        .isEqualTo(state));
    }

    private static double state(TestGateway gateway, MockWebServer backend) {
        return gateway.metric(STATE, poolLabel(), backendLabel(backend));
    }

    private static double transitions(TestGateway gateway, MockWebServer backend, String to) {
        return gateway.metric(TRANSITIONS, poolLabel(), backendLabel(backend), "to=\"" + to + "\"");
    }
}
