package io.gatehouse.resilience;

import static io.gatehouse.resilience.ResilienceFixtures.SERVED_BY;
import static io.gatehouse.resilience.ResilienceFixtures.config;
import static io.gatehouse.resilience.ResilienceFixtures.count;
import static io.gatehouse.resilience.ResilienceFixtures.get;
import static io.gatehouse.resilience.ResilienceFixtures.getAsync;
import static io.gatehouse.resilience.ResilienceFixtures.requestsAt;
import static io.gatehouse.resilience.ResilienceFixtures.routeLabel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.resilience.ResilienceFixtures.FirstRequest;
import io.gatehouse.resilience.ResilienceFixtures.Hold;
import io.gatehouse.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A pool's per-backend bulkhead ({@code max_concurrent_requests}): a backend at its bound is skipped, and when
 * every backend is at its bound the request is refused with 503 bulkhead_full; the route's own bulkhead counts
 * under {@code scope="route"}. Backends hold requests on a latch, so "in flight" is exact.
 */
class BulkheadIntegrationTest {
    private static final String REJECTIONS = "gatehouse_bulkhead_rejections_total";
    private static final String BACKEND_SCOPE = "scope=\"backend\"";

    private final Hold hold = new Hold();

    @AfterEach
    void releaseHeldRequests() {
        hold.close();
    }

    /** The pool's bound on its single backend, or the route's own bound: the second request is refused. */
    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
            "max_concurrent_requests: 1 |                            | backend | route",
            "                           | max_concurrent_requests: 1 | route   | backend"})
    void aHeldRequestFillsTheBulkheadAndTheNextIsRefusedWith503(String poolKeys, String routeKeys, String scope,
                                                                String otherScope) throws Exception {
        MockWebServer slow = hold.backend("slow", request -> hold.thenReply("slow"));
        try (TestGateway gateway = TestGateway.start(config(blank(poolKeys), blank(routeKeys), slow.getPort()))) {
            CompletableFuture<HttpResponse<String>> first = getAsync(gateway, "/first");
            await().atMost(Duration.ofSeconds(3)).until(() -> slow.getRequestCount() == 1);

            HttpResponse<String> refused = get(gateway, "/second");

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("\"error\":\"bulkhead_full\"");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(gateway.metric(REJECTIONS, routeLabel(), "scope=\"" + scope + "\"")).isEqualTo(1.0);
            assertThat(count(gateway, REJECTIONS, routeLabel(), "scope=\"" + otherScope + "\"")).isZero();
            hold.release();
            assertThat(first.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(slow.getRequestCount()).as("the refused request never reached the backend").isEqualTo(1);
            await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                    assertThat(get(gateway, "/third").statusCode()).as("the place came back").isEqualTo(200));
        }
    }

    private static String blank(String keys) {
        return keys == null ? "" : keys;
    }

    @Test
    void aBackendAtItsBoundIsSkippedForTheNextOne() throws Exception {
        FirstRequest firstHeld = new FirstRequest(request -> hold.thenReply("slow"));
        MockWebServer a = hold.backend("a", firstHeld.at("a"));
        MockWebServer b = hold.backend("b", firstHeld.at("b"));
        try (TestGateway gateway = TestGateway.start(config("max_concurrent_requests: 1", "",
                a.getPort(), b.getPort()))) {
            CompletableFuture<HttpResponse<String>> first = getAsync(gateway, "/first");
            await().atMost(Duration.ofSeconds(3)).until(() -> requestsAt(a, b) == 1);
            String busy = firstHeld.takenBy();
            MockWebServer busyBackend = busy.equals("a") ? a : b;

            // Round robin would send every other one of these to the busy backend.
            for (int i = 0; i < 4; i++) {
                awaitOnlyTheHeldRequestInFlight(gateway);
                HttpResponse<String> response = get(gateway, "/next/" + i);
                assertThat(response.statusCode()).as("request %d: %s", i, response.body()).isEqualTo(200);
                assertThat(response.headers().firstValue(SERVED_BY)).hasValue(firstHeld.other());
            }
            assertThat(busyBackend.getRequestCount()).as("requests at the busy backend").isEqualTo(1);

            hold.release();
            HttpResponse<String> held = first.get(5, TimeUnit.SECONDS);
            assertThat(held.statusCode()).isEqualTo(200);
            assertThat(held.headers().firstValue(SERVED_BY)).hasValue(busy);
            assertThat(count(gateway, REJECTIONS, routeLabel())).isZero();
        }
    }

    @Test
    void twoConcurrentRequestsGoOneToEachBackendAndAThirdIsRefused() throws Exception {
        MockWebServer a = hold.backend("a", request -> hold.thenReply("from a"));
        MockWebServer b = hold.backend("b", request -> hold.thenReply("from b"));
        try (TestGateway gateway = TestGateway.start(config("max_concurrent_requests: 1", "",
                a.getPort(), b.getPort()))) {
            List<CompletableFuture<HttpResponse<String>>> held = List.of(getAsync(gateway, "/1"),
                    getAsync(gateway, "/2"));
            await().atMost(Duration.ofSeconds(3)).until(() -> requestsAt(a, b) == 2);
            assertThat(a.getRequestCount()).as("requests at a").isEqualTo(1);
            assertThat(b.getRequestCount()).as("requests at b").isEqualTo(1);

            HttpResponse<String> refused = get(gateway, "/3");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("\"error\":\"bulkhead_full\"");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(gateway.metric(REJECTIONS, routeLabel(), BACKEND_SCOPE)).isEqualTo(1.0);

            hold.release();
            List<String> servedBy = held.stream()
                    .map(future -> future.orTimeout(5, TimeUnit.SECONDS).join())
                    .peek(response -> assertThat(response.statusCode()).isEqualTo(200))
                    .map(response -> response.headers().firstValue(SERVED_BY).orElse("?"))
                    .toList();
            assertThat(servedBy).containsExactlyInAnyOrder("a", "b");
            assertThat(requestsAt(a, b)).isEqualTo(2);
        }
    }

    /** Waits until the gateway has finished every request but the held one, so their places are free again. */
    private static void awaitOnlyTheHeldRequestInFlight(TestGateway gateway) {
        await().atMost(Duration.ofSeconds(2)).until(() -> gateway.metric("gatehouse_requests_in_flight") == 1);
    }
}
