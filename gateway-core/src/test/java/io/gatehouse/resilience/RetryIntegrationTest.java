package io.gatehouse.resilience;

import static io.gatehouse.resilience.ResilienceFixtures.SERVED_BY;
import static io.gatehouse.resilience.ResilienceFixtures.assertRequestsStay;
import static io.gatehouse.resilience.ResilienceFixtures.backend;
import static io.gatehouse.resilience.ResilienceFixtures.closedPort;
import static io.gatehouse.resilience.ResilienceFixtures.config;
import static io.gatehouse.resilience.ResilienceFixtures.count;
import static io.gatehouse.resilience.ResilienceFixtures.get;
import static io.gatehouse.resilience.ResilienceFixtures.millisSince;
import static io.gatehouse.resilience.ResilienceFixtures.pattern;
import static io.gatehouse.resilience.ResilienceFixtures.post;
import static io.gatehouse.resilience.ResilienceFixtures.reply;
import static io.gatehouse.resilience.ResilienceFixtures.requestsAt;
import static io.gatehouse.resilience.ResilienceFixtures.resetAfterReadingRequest;
import static io.gatehouse.resilience.ResilienceFixtures.routeLabel;
import static io.gatehouse.testing.MockBackends.received;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.resilience.ResilienceFixtures.FirstRequest;
import io.gatehouse.resilience.ResilienceFixtures.Script;
import io.gatehouse.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A route's {@code retry:} as clients and backends see it: which failures are tried again on which backend,
 * which methods and bodies may be replayed, the retry budget and the backoff.
 */
class RetryIntegrationTest {
    private static final String RETRIES = "gatehouse_retries_total";
    private static final int TEN_KIB = 10 * 1024;

    @Test
    void getIsRetriedOnTheOtherBackendAfterA503() throws Exception {
        FirstRequest script = new FirstRequest(request -> reply(503, "unavailable"));
        try (MockWebServer a = backend("a", script.at("a")); MockWebServer b = backend("b", script.at("b"));
             TestGateway gateway = TestGateway.start(config("", retry("attempts: 2", "on: [503]"),
                     a.getPort(), b.getPort()))) {
            HttpResponse<String> response = get(gateway, "/items");

            String other = script.other();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue(SERVED_BY)).hasValue(other);
            assertThat(response.body()).isEqualTo("ok from " + other);
            assertThat(a.getRequestCount()).as("requests at a").isEqualTo(1);
            assertThat(b.getRequestCount()).as("requests at b").isEqualTo(1);
            assertThat(gateway.metric(RETRIES, routeLabel(), "reason=\"503\"")).isEqualTo(1.0);
        }
    }

    @Test
    void getIsRetriedAfterAResetBeforeTheResponseWhenConfigured() throws Exception {
        FirstRequest script = new FirstRequest(request -> resetAfterReadingRequest());
        try (MockWebServer a = backend("a", script.at("a")); MockWebServer b = backend("b", script.at("b"));
             TestGateway gateway = TestGateway.start(config("", retry("on: [reset_before_response]"),
                     a.getPort(), b.getPort()))) {
            HttpResponse<String> response = get(gateway, "/items");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue(SERVED_BY)).hasValue(script.other());
            assertRequestsStay(2, a, b);
            assertThat(gateway.metric(RETRIES, routeLabel(), "reason=\"reset_before_response\"")).isEqualTo(1.0);
        }
    }

    @Test
    void aResetBeforeTheResponseIsNotRetriedWithTheDefaultConditions() throws Exception {
        FirstRequest script = new FirstRequest(request -> resetAfterReadingRequest());
        try (MockWebServer a = backend("a", script.at("a")); MockWebServer b = backend("b", script.at("b"));
             TestGateway gateway = TestGateway.start(config("", "", a.getPort(), b.getPort()))) {
            HttpResponse<String> response = get(gateway, "/items");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("\"error\":\"bad_gateway\"");
            assertRequestsStay(1, a, b);
        }
    }

    static Stream<Arguments> failuresAfterThePostWasSent() {
        return Stream.of(
                Arguments.of("reset before response", (Script) request -> resetAfterReadingRequest(), 502,
                        "\"error\":\"bad_gateway\""),
                Arguments.of("503", (Script) request -> reply(503, "unavailable"), 503, "unavailable"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failuresAfterThePostWasSent")
    void postIsNeverRetriedOnceItWasSent(String name, Script failure, int status, String body) throws Exception {
        FirstRequest script = new FirstRequest(failure);
        try (MockWebServer a = backend("a", script.at("a")); MockWebServer b = backend("b", script.at("b"));
             TestGateway gateway = TestGateway.start(config("",
                     retry("attempts: 3", "on: [connect_failure, reset_before_response, 502, 503, 504]"),
                     a.getPort(), b.getPort()))) {
            HttpResponse<String> response = post(gateway, "/orders", "hello".getBytes(StandardCharsets.UTF_8), false);

            assertThat(response.statusCode()).isEqualTo(status);
            assertThat(response.body()).contains(body);
            assertRequestsStay(1, a, b);
            assertThat(count(gateway, RETRIES, routeLabel())).isZero();
        }
    }

    @ParameterizedTest(name = "chunked: {0}")
    @ValueSource(booleans = {false, true})
    void postListedInMethodsIsRetriedWithItsBodyReplayedByteForByte(boolean chunked) throws Exception {
        byte[] body = pattern(TEN_KIB);
        FirstRequest script = new FirstRequest(request -> reply(503, "unavailable"));
        try (MockWebServer a = backend("a", script.at("a")); MockWebServer b = backend("b", script.at("b"));
             TestGateway gateway = TestGateway.start(config("", retry("on: [503]", "methods: [POST]"),
                     a.getPort(), b.getPort()))) {
            HttpResponse<String> response = post(gateway, "/orders", body, chunked);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue(SERVED_BY)).hasValue(script.other());
            for (MockWebServer backend : new MockWebServer[] {a, b}) {
                RecordedRequest recorded = received(backend);
                assertThat(recorded.getMethod()).isEqualTo("POST");
                assertThat(recorded.getBody().toByteArray()).as("body at port %d", backend.getPort())
                        .isEqualTo(body);
            }
            assertRequestsStay(2, a, b);
        }
    }

    @ParameterizedTest(name = "chunked: {0}")
    @ValueSource(booleans = {false, true})
    void aBodyOverTheRequestBufferingBoundIsNotRetried(boolean chunked) throws Exception {
        FirstRequest script = new FirstRequest(request -> reply(503, "unavailable"));
        try (MockWebServer a = backend("a", script.at("a")); MockWebServer b = backend("b", script.at("b"));
             TestGateway gateway = TestGateway.start(config("",
                     "request_buffering: 1KiB\n" + retry("on: [503]", "methods: [POST]"), a.getPort(), b.getPort()))) {
            HttpResponse<String> response = post(gateway, "/orders", pattern(TEN_KIB), chunked);

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).isEqualTo("unavailable");
            assertRequestsStay(1, a, b);
        }
    }

    @Test
    void aConnectFailureIsRetriedForAPostToo() throws Exception {
        try (MockWebServer good = backend("good", request -> reply(200, "stored"));
             TestGateway gateway = TestGateway.start(config("", retry("on: [connect_failure, 503]"),
                     closedPort(), good.getPort()))) {
            // Round robin over two backends: at least one of these is sent to the closed port first.
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = post(gateway, "/orders",
                        ("order-" + i).getBytes(StandardCharsets.UTF_8), false);
                assertThat(response.statusCode()).as("order %d: %s", i, response.body()).isEqualTo(200);
                assertThat(received(good).getBody().utf8()).isEqualTo("order-" + i);
            }
            assertThat(gateway.metric(RETRIES, routeLabel(), "reason=\"connect_failure\""))
                    .isGreaterThanOrEqualTo(1.0);
        }
    }

    @Test
    void attemptsOneTurnsRetriesOff() throws Exception {
        FirstRequest script = new FirstRequest(request -> reply(503, "unavailable"));
        try (MockWebServer a = backend("a", script.at("a")); MockWebServer b = backend("b", script.at("b"));
             TestGateway gateway = TestGateway.start(config("", retry("attempts: 1", "on: [503]"),
                     a.getPort(), b.getPort()))) {
            HttpResponse<String> response = get(gateway, "/items");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).isEqualTo("unavailable");
            assertRequestsStay(1, a, b);
            assertThat(count(gateway, RETRIES, routeLabel())).isZero();
        }
    }

    @Test
    void exhaustedRetriesRelayTheLast503AsIs() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        try (MockWebServer a = backend("a", request -> reply(503, "unavailable #" + answered.incrementAndGet()));
             MockWebServer b = backend("b", request -> reply(503, "unavailable #" + answered.incrementAndGet()));
             TestGateway gateway = TestGateway.start(config("", retry("attempts: 3", "on: [503]"),
                     a.getPort(), b.getPort()))) {
            HttpResponse<String> response = get(gateway, "/items");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).isEqualTo("unavailable #3");
            assertRequestsStay(3, a, b);
            assertThat(a.getRequestCount()).as("both backends tried").isPositive();
            assertThat(b.getRequestCount()).as("both backends tried").isPositive();
            assertThat(gateway.metric(RETRIES, routeLabel(), "reason=\"503\"")).isEqualTo(2.0);
        }
    }

    @Test
    void theRetryBudgetCapsRetriesAtItsShareOfRequests() throws Exception {
        int requests = 50;
        try (MockWebServer a = backend("a", request -> reply(503, "unavailable"));
             MockWebServer b = backend("b", request -> reply(503, "unavailable"));
             TestGateway gateway = TestGateway.start(config("",
                     retry("attempts: 2", "on: [503]", "budget: 20%", "min_retries_per_second: 0"),
                     a.getPort(), b.getPort()))) {
            for (int i = 0; i < requests; i++) {
                HttpResponse<String> response = get(gateway, "/items/" + i);
                assertThat(response.statusCode()).as("request %d", i).isEqualTo(503);
                assertThat(response.body()).isEqualTo("unavailable");
            }

            int retries = requestsAt(a, b) - requests;
            assertThat(retries).as("retries (20%% of %d requests at most)", requests).isPositive()
                    .isLessThanOrEqualTo(requests / 5);
            assertThat(gateway.metric(RETRIES, routeLabel(), "reason=\"503\"")).isEqualTo(retries);
            assertThat(gateway.metric("gatehouse_retry_budget_exhausted_total", routeLabel())).isPositive();
        }
    }

    @Test
    void aRetryWaitsTheBackoffFirst() throws Exception {
        FirstRequest script = new FirstRequest(request -> reply(503, "unavailable"));
        try (MockWebServer a = backend("a", script.at("a")); MockWebServer b = backend("b", script.at("b"));
             TestGateway gateway = TestGateway.start(config("",
                     retry("on: [503]", "backoff: {base: 200ms, max: 1s, jitter: none}"), a.getPort(), b.getPort()))) {
            long start = System.nanoTime();
            HttpResponse<String> response = get(gateway, "/items");
            long elapsed = millisSince(start);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(elapsed).as("ms for a request retried once").isBetween(200L, 3_000L);
        }
    }

    /**
     * A route {@code retry:} section. Without a {@code backoff:} key it gets a 1 ms backoff without jitter, so the
     * tests measure the gateway and not the wait.
     */
    private static String retry(String... keys) {
        StringBuilder yaml = new StringBuilder("retry:\n");
        boolean backoff = false;
        for (String key : keys) {
            backoff |= key.startsWith("backoff:");
            yaml.append("  ").append(key).append('\n');
        }
        if (!backoff) {
            yaml.append("  backoff: {base: 1ms, max: 1ms, jitter: none}\n");
        }
        return yaml.toString();
    }
}
