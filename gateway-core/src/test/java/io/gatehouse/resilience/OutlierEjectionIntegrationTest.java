package io.gatehouse.resilience;

import static io.gatehouse.resilience.ResilienceFixtures.SERVED_BY;
import static io.gatehouse.resilience.ResilienceFixtures.backend;
import static io.gatehouse.resilience.ResilienceFixtures.backendLabel;
import static io.gatehouse.resilience.ResilienceFixtures.config;
import static io.gatehouse.resilience.ResilienceFixtures.get;
import static io.gatehouse.resilience.ResilienceFixtures.millisSince;
import static io.gatehouse.resilience.ResilienceFixtures.poolLabel;
import static io.gatehouse.resilience.ResilienceFixtures.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.testing.CapturedLogs;
import io.gatehouse.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * Outlier ejection (passive health): a backend failing {@code consecutive_failures} times in a row leaves balancing
 * for base_ejection_time times the number of its ejections, returns by itself, and never more than max_ejected of
 * the pool is out. Every route here has {@code attempts: 1}; a 500 is not a retry condition anyway.
 */
class OutlierEjectionIntegrationTest {
    private static final String EJECTIONS = "gatehouse_outlier_ejections_total";
    private static final String EJECTED = "gatehouse_backend_ejected";
    private static final String NO_RETRIES = "retry: {attempts: 1}";
    private static final String THREE_IN_A_ROW_FOR_1S = """
            outlier_detection: {consecutive_failures: 3, base_ejection_time: 1s, max_ejected: 50%}
            """;

    @Test
    void aBackendFailingThreeTimesInARowIsEjectedAndReturnsByItselfAfterTheBaseTime() throws Exception {
        try (CapturedLogs log = CapturedLogs.all();
             MockWebServer bad = backend("bad", request -> reply(500, "broken"));
             MockWebServer good = backend("good", request -> reply(200, "fine"));
             TestGateway gateway = TestGateway.start(config(THREE_IN_A_ROW_FOR_1S, NO_RETRIES,
                     bad.getPort(), good.getPort()))) {
            assertThat(ejected(gateway, bad)).as("ejected before any failure").isZero();

            long ejectedAt = sendUntilRequestsAt(gateway, bad, 3);
            await().atMost(Duration.ofSeconds(1)).until(() -> ejected(gateway, bad) == 1);
            assertThat(ejections(gateway, bad)).isEqualTo(1.0);
            assertThat(ejected(gateway, good)).isZero();
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> response = get(gateway, "/while-ejected/" + i);
                assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
                assertThat(response.headers().firstValue(SERVED_BY)).hasValue("good");
            }
            assertThat(bad.getRequestCount()).as("requests at the ejected backend").isEqualTo(3);
            assertThat(ejectionLines(log, bad)).containsExactly("ejected for 1000 ms after 3 consecutive failures");

            long out = millisUntilBackInBalancing(gateway, bad, ejectedAt);
            assertThat(out).as("ms the backend was out (base_ejection_time 1 s)").isBetween(800L, 4_000L);
            await().atMost(Duration.ofSeconds(1)).until(() -> ejected(gateway, bad) == 0);
            assertThat(ejections(gateway, bad)).as("the request that found it back was no new ejection")
                    .isEqualTo(1.0);
        }
    }

    @Test
    void aSecondEjectionSoonAfterTheFirstLastsTwiceTheBaseTime() throws Exception {
        try (CapturedLogs log = CapturedLogs.all();
             MockWebServer bad = backend("bad", request -> reply(500, "broken"));
             MockWebServer good = backend("good", request -> reply(200, "fine"));
             TestGateway gateway = TestGateway.start(config(THREE_IN_A_ROW_FOR_1S, NO_RETRIES,
                     bad.getPort(), good.getPort()))) {
            long firstEjectedAt = sendUntilRequestsAt(gateway, bad, 3);
            long first = millisUntilBackInBalancing(gateway, bad, firstEjectedAt);

            // The request that found it back was the first failure of a new run: two more eject it again.
            long secondEjectedAt = sendUntilRequestsAt(gateway, bad, bad.getRequestCount() + 2);
            await().atMost(Duration.ofSeconds(1)).until(() -> ejected(gateway, bad) == 1);
            assertThat(ejections(gateway, bad)).isEqualTo(2.0);
            long second = millisUntilBackInBalancing(gateway, bad, secondEjectedAt);

            // Lower bounds only: a slow machine can stretch what the client measures, never shorten it.
            assertThat(first).as("ms out after the first ejection (1 s)").isGreaterThanOrEqualTo(800L);
            assertThat(second).as("ms out after the second ejection (2 s)").isGreaterThanOrEqualTo(1_800L);
            assertThat(ejectionLines(log, bad)).containsExactly(
                    "ejected for 1000 ms after 3 consecutive failures",
                    "ejected for 2000 ms after 3 consecutive failures");
        }
    }

    @Test
    void atMostMaxEjectedOfThePoolIsEjectedEvenWhenEveryBackendFails() throws Exception {
        try (MockWebServer a = backend("a", request -> reply(500, "broken"));
             MockWebServer b = backend("b", request -> reply(500, "broken"));
             TestGateway gateway = TestGateway.start(config("""
                     outlier_detection: {consecutive_failures: 3, base_ejection_time: 30s, max_ejected: 50%}
                     """, NO_RETRIES, a.getPort(), b.getPort()))) {
            for (int i = 0; i < 10 && a.getRequestCount() < 3 && b.getRequestCount() < 3; i++) {
                assertThat(get(gateway, "/items/" + i).statusCode()).as("request %d", i).isEqualTo(500);
            }
            await().atMost(Duration.ofSeconds(1)).until(() -> ejected(gateway, a) + ejected(gateway, b) == 1);
            MockWebServer out = ejected(gateway, a) == 1 ? a : b;
            MockWebServer in = out == a ? b : a;
            int inBefore = in.getRequestCount();

            // The one left fails too, but ejecting it would put 100% of the pool out.
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> response = get(gateway, "/more/" + i);
                assertThat(response.statusCode()).as("request %d: %s", i, response.body()).isEqualTo(500);
                assertThat(response.body()).isEqualTo("broken");
            }
            assertThat(out.getRequestCount()).as("requests at the ejected backend").isEqualTo(3);
            assertThat(in.getRequestCount()).as("requests at the backend kept in").isEqualTo(inBefore + 6);
            assertThat(ejected(gateway, in)).as("ejected gauge of the backend kept in").isZero();
            assertThat(ejections(gateway, out)).isEqualTo(1.0);
            assertThat(ejections(gateway, in)).as("ejections of the backend kept in").satisfiesAnyOf(
                    value -> assertThat(value).isNaN(), value -> assertThat(value).isZero());
        }
    }

    /**
     * Sends GETs (each answered 500 by {@code backend}, or by the other one) until {@code backend} has received
     * {@code requests} in all; returns when the last of them was answered.
     */
    private static long sendUntilRequestsAt(TestGateway gateway, MockWebServer backend, int requests)
            throws Exception {
        for (int i = 0; i < 20 && backend.getRequestCount() < requests; i++) {
            get(gateway, "/items/" + i);
        }
        assertThat(backend.getRequestCount()).as("requests at port %d", backend.getPort()).isEqualTo(requests);
        return System.nanoTime();
    }

    /**
     * Sends a GET every 50 ms until one reaches {@code backend} again and returns how long after
     * {@code ejectedAtNanos} that was: the time it was out of balancing, give or take one poll.
     */
    private static long millisUntilBackInBalancing(TestGateway gateway, MockWebServer backend, long ejectedAtNanos) {
        int before = backend.getRequestCount();
        await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(50)).until(() -> {
            get(gateway, "/probe");
            return backend.getRequestCount() > before;
        });
        return millisSince(ejectedAtNanos);
    }

    /**
     * The ends of the log lines "pool users: backend B ejected for N ms after K consecutive failures" about
     * {@code backend} (B may be written with or without a scheme), from "ejected" on.
     */
    private static List<String> ejectionLines(CapturedLogs log, MockWebServer backend) {
        Pattern line = Pattern.compile("pool users: backend \\S*127\\.0\\.0\\.1:" + backend.getPort()
                + "\\S* (ejected for .*)");
        return log.messages().stream().map(line::matcher).filter(Matcher::matches).map(m -> m.group(1)).toList();
    }

    private static double ejected(TestGateway gateway, MockWebServer backend) {
        return gateway.metric(EJECTED, poolLabel(), backendLabel(backend));
    }

    private static double ejections(TestGateway gateway, MockWebServer backend) {
        return gateway.metric(EJECTIONS, poolLabel(), backendLabel(backend), "reason=\"consecutive_failures\"");
    }
}
