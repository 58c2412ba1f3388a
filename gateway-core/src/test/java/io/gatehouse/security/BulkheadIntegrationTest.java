package io.gatehouse.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.testing.TestGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A route's max_concurrent_requests: over it, 503 at once; the place comes back when a request finishes. */
class BulkheadIntegrationTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final MockWebServer backend = new MockWebServer();
    private final CountDownLatch slowReleased = new CountDownLatch(1);
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        backend.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                if (request.getTarget().startsWith("/slow")) {
                    slowReleased.await(10, TimeUnit.SECONDS); // the backend's thread, holding the request open
                }
                return new MockResponse.Builder().body("ok").build();
            }
        });
        backend.start(0);
        gateway = TestGateway.start("""
                routes:
                  - {id: narrow, match: {path_prefix: /}, upstream: "http://127.0.0.1:%d", max_concurrent_requests: 1}
                """.formatted(backend.getPort()));
    }

    @AfterEach
    void stop() {
        slowReleased.countDown();
        gateway.close();
        backend.close();
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void aRequestOverTheBoundIs503AndThePlaceComesBackWhenTheFirstFinishes() throws Exception {
        CompletableFuture<HttpResponse<String>> slow = CLIENT.sendAsync(request("/slow"),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.getRequestCount() == 1);

        HttpResponse<String> refused = CLIENT.send(request("/fast"), HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("\"error\":\"bulkhead_full\"");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(backend.getRequestCount()).as("the refused request never reached the backend").isEqualTo(1);

        slowReleased.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(CLIENT.send(request("/fast"), HttpResponse.BodyHandlers.ofString()).statusCode())
                        .isEqualTo(200));
        assertThat(gateway.metric("gatehouse_bulkhead_rejections_total", "route=\"narrow\",scope=\"route\"")).isEqualTo(1.0);
    }
}
