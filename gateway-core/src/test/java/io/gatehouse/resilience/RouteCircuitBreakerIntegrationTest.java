package io.gatehouse.resilience;

import static io.gatehouse.resilience.ResilienceFixtures.SERVED_BY;
import static io.gatehouse.resilience.ResilienceFixtures.backend;
import static io.gatehouse.resilience.ResilienceFixtures.get;
import static io.gatehouse.resilience.ResilienceFixtures.reply;
import static io.gatehouse.resilience.ResilienceFixtures.requestsAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.server.StartOptions;
import io.gatehouse.testing.TestClock;
import io.gatehouse.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * A route's own circuit breaker: it judges each request by its final outcome, after retries, and when open it
 * refuses only that route, while the same backends keep serving the other routes.
 */
class RouteCircuitBreakerIntegrationTest {
    private static final String STATE = "gatehouse_route_circuit_breaker_state";
    private static final String TRANSITIONS = "gatehouse_route_circuit_breaker_transitions_total";
    private static final String REPORTS = "route=\"reports\"";

    @Test
    void aFailingRouteIsCutOffWhileItsBackendsServeTheOthersAndAProbeClosesItAgain() throws Exception {
        AtomicBoolean reportsBroken = new AtomicBoolean(true);
        TestClock clock = new TestClock(); // the breaker's open_for passes when the test says, not by sleeping
        try (MockWebServer a = backend("a", request -> answer(request.getUrl().encodedPath(), reportsBroken));
             MockWebServer b = backend("b", request -> answer(request.getUrl().encodedPath(), reportsBroken));
             TestGateway gateway = TestGateway.start(config(a.getPort(), b.getPort()),
                     StartOptions.defaults().threads(2).nanoClock(clock))) {
            assertThat(gateway.metric(STATE, REPORTS)).as("state before any request").isEqualTo(0.0);

            for (int i = 0; i < 2; i++) {
                HttpResponse<String> failed = get(gateway, "/reports/" + i);
                assertThat(failed.statusCode()).isEqualTo(503);
                assertThat(failed.body()).as("the backend's own answer, relayed").isEqualTo("report engine down");
            }
            assertThat(requestsAt(a, b)).as("each request was tried on both backends").isEqualTo(4);
            await().atMost(Duration.ofSeconds(2)).until(() -> gateway.metric(STATE, REPORTS) == 1.0);
            assertThat(gateway.metric(TRANSITIONS, REPORTS, "to=\"open\"")).isEqualTo(1.0);

            HttpResponse<String> refused = get(gateway, "/reports/refused");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("\"error\":\"circuit_open\"", "the route's circuit breaker")
                    .as("the route id is the operator's, not the client's").doesNotContain("reports");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(requestsAt(a, b)).as("nothing reaches a backend while the route is open").isEqualTo(4);

            HttpResponse<String> other = get(gateway, "/users");
            HttpResponse<String> another = get(gateway, "/users");
            assertThat(other.statusCode()).isEqualTo(200);
            assertThat(another.statusCode()).isEqualTo(200);
            assertThat(other.headers().firstValue(SERVED_BY)).as("both backends stay in balancing")
                    .isNotEqualTo(another.headers().firstValue(SERVED_BY));

            reportsBroken.set(false);
            clock.advance(Duration.ofMillis(999));
            int reached = requestsAt(a, b);
            assertThat(get(gateway, "/reports/early").statusCode()).as("open_for has not passed").isEqualTo(503);
            assertThat(requestsAt(a, b)).as("still refused by the gateway").isEqualTo(reached);
            clock.advance(Duration.ofMillis(1));
            HttpResponse<String> probe = get(gateway, "/reports/probe");
            assertThat(probe.statusCode()).isEqualTo(200);
            assertThat(gateway.metric(STATE, REPORTS)).isEqualTo(0.0);
            assertThat(gateway.metric(TRANSITIONS, REPORTS, "to=\"half_open\"")).isEqualTo(1.0);
            assertThat(gateway.metric(TRANSITIONS, REPORTS, "to=\"closed\"")).isEqualTo(1.0);
            assertThat(get(gateway, "/reports/after").statusCode()).isEqualTo(200);
        }
    }

    private static mockwebserver3.MockResponse.Builder answer(String path, AtomicBoolean reportsBroken) {
        return path.startsWith("/reports") && reportsBroken.get()
                ? reply(503, "report engine down") : reply(200, "ok");
    }

    /** One pool, no pool breakers; /reports has its own breaker and retries 503 once, the rest has neither. */
    private static String config(int portA, int portB) {
        return """
                pools:
                  users:
                    backends: ["http://127.0.0.1:%d", "http://127.0.0.1:%d"]
                routes:
                  - id: reports
                    match: {path_prefix: /reports}
                    pool: users
                    retry: {attempts: 2, on: [503], backoff: {base: 0ms, max: 0ms}}
                    circuit_breaker: {consecutive_failures: 2, failure_rate: 0, open_for: 1s, half_open_probes: 1}
                  - id: users
                    match: {path_prefix: /}
                    pool: users
                """.formatted(portA, portB);
    }
}
