package io.gatehouse.resilience;

import static io.gatehouse.resilience.ResilienceFixtures.SERVED_BY;
import static io.gatehouse.resilience.ResilienceFixtures.backend;
import static io.gatehouse.resilience.ResilienceFixtures.backendLabel;
import static io.gatehouse.resilience.ResilienceFixtures.closedPort;
import static io.gatehouse.resilience.ResilienceFixtures.config;
import static io.gatehouse.resilience.ResilienceFixtures.count;
import static io.gatehouse.resilience.ResilienceFixtures.get;
import static io.gatehouse.resilience.ResilienceFixtures.poolLabel;
import static io.gatehouse.resilience.ResilienceFixtures.reply;
import static io.gatehouse.resilience.ResilienceFixtures.routeLabel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.testing.CapturedLogs;
import io.gatehouse.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * A backend that dies in a pool without health checks: its first refused connect takes it out of balancing for
 * a while, the retry serves the request elsewhere, and it comes back by itself once it listens again. Routes keep
 * the default retry (a connect failure is tried once more on another backend).
 */
class ConnectFailureEjectionIntegrationTest {
    private static final String EJECTIONS = "gatehouse_outlier_ejections_total";
    private static final String EJECTED = "gatehouse_backend_ejected";
    private static final String RETRIES = "gatehouse_retries_total";
    private static final String CONNECT_FAILURE = "reason=\"connect_failure\"";
    /** Long enough that twenty requests end well before the dead backend is let back in to be tried again. */
    private static final String OUT_FOR_3S = "connect_failure_ejection: {base_ejection_time: 3s, max_ejection_time: 3s}";

    @Test
    void aKilledBackendIsTakenOutAtItsFirstRefusedConnectAndReturnsByItselfOnceRestarted() throws Exception {
        try (CapturedLogs log = CapturedLogs.all();
             MockWebServer a = backend("a", request -> reply(200, "ok from a"));
             // On a port given explicitly, its sockets allow a restart on the port while old connections linger.
             MockWebServer b = backend("b", closedPort(), request -> reply(200, "ok from b"));
             TestGateway gateway = TestGateway.start(config(OUT_FOR_3S, "", a.getPort(), b.getPort()))) {
            assertThat(servedBy(gateway, 4)).as("both serve").containsExactlyInAnyOrder("a", "a", "b", "b");

            int deadPort = b.getPort();
            b.close();
            List<Integer> statuses = new ArrayList<>();
            List<String> served = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = get(gateway, "/items/" + i);
                statuses.add(response.statusCode());
                served.add(response.headers().firstValue(SERVED_BY).orElse("gateway"));
            }

            assertThat(statuses).as("what the client got").containsOnly(200);
            assertThat(served).containsOnly("a");
            // Each attempt at the dead backend is a refused connect, retried on a. Before the fix all twenty
            // requests' first attempts went there; now the first refusal takes it out for 3 s (its ejection is
            // handed to the pool's health executor, so one more request may find it in).
            assertThat(count(gateway, RETRIES, routeLabel(), CONNECT_FAILURE))
                    .as("first attempts at the dead backend").isBetween(1.0, 2.0);
            await().atMost(Duration.ofSeconds(2)).until(() -> ejected(gateway, deadPort) == 1);
            assertThat(gateway.metric(EJECTIONS, poolLabel(), backendLabel(deadPort), CONNECT_FAILURE))
                    .isGreaterThanOrEqualTo(1.0);
            assertThat(log.messages()).anySatisfy(line -> assertThat(line)
                    .startsWith("pool users: backend 127.0.0.1:" + deadPort + " ejected for 3000 ms after a failed"
                            + " connect (").contains("Connection refused").endsWith("1 of 2 in balancing"));

            try (MockWebServer restarted = backend("b", deadPort, request -> reply(200, "ok from b"))) {
                // Out for 3 s from its first refusal; then it takes requests again.
                Set<String> seen = new HashSet<>();
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                    seen.addAll(servedBy(gateway, 2));
                    assertThat(seen).contains("b");
                });
                assertThat(restarted.getRequestCount()).isPositive();
                await().atMost(Duration.ofSeconds(2)).until(() -> ejected(gateway, deadPort) == 0);
                assertThat(log.messages()).contains(
                        "pool users: backend 127.0.0.1:" + deadPort + " returns from its connect-failure ejection");
            }
        }
    }

    @Test
    void whenEveryBackendRefusesClientsGet502NotA503AndTheFirstBackendBackServesAtOnce() throws Exception {
        MockWebServer a = backend("a", request -> reply(200, "ok from a"));
        MockWebServer b = backend("b", request -> reply(200, "ok from b"));
        int portA = a.getPort();
        int portB = b.getPort();
        a.close();
        b.close();
        try (TestGateway gateway = TestGateway.start(config("""
                connect_failure_ejection: {base_ejection_time: 30s}
                """, "", portA, portB))) {
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = get(gateway, "/items/" + i);
                assertThat(response.statusCode()).as("request %d: %s", i, response.body()).isEqualTo(502);
                assertThat(response.body()).contains("\"error\":\"bad_gateway\"");
            }
            await().atMost(Duration.ofSeconds(2))
                    .until(() -> ejected(gateway, portA) == 1 && ejected(gateway, portB) == 1);

            try (MockWebServer back = backend("a", portA, request -> reply(200, "ok from a"))) {
                // Both are still ejected for 30 s, yet tried: the first attempt finds a, or its retry does.
                for (int i = 0; i < 4; i++) {
                    HttpResponse<String> response = get(gateway, "/again/" + i);
                    assertThat(response.statusCode()).as("request %d: %s", i, response.body()).isEqualTo(200);
                    assertThat(response.body()).isEqualTo("ok from a");
                }
            }
        }
    }

    private static List<String> servedBy(TestGateway gateway, int requests) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = get(gateway, "/warm/" + i);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            names.add(response.headers().firstValue(SERVED_BY).orElseThrow());
        }
        return names;
    }

    private static double ejected(TestGateway gateway, int port) {
        return gateway.metric(EJECTED, poolLabel(), backendLabel(port));
    }
}
