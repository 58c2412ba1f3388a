package io.gatehouse.pool;

import io.gatehouse.testing.H2Backend;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gateway with one event loop (so one connection pool per backend) in front of a real h2c backend, driven by many
 * concurrent HTTP/1.1 clients: how requests spread over HTTP/2 connections and streams, what the backend saw, and
 * that a GOAWAY mid-traffic loses nothing.
 */
class Http2MultiplexingTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static String h2cPool(H2Backend backend, String poolSettings) {
        return """
                pools:
                  api:
                    protocol: h2c
                    backends: ["http://127.0.0.1:%d"]
                    %s
                routes:
                  - {id: r, match: {path_prefix: /}, pool: api, response_timeout: 10s}
                """.formatted(backend.port(), poolSettings);
    }

    private static List<CompletableFuture<HttpResponse<String>>> send(TestGateway gateway, int count,
                                                                       boolean somePosts) {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri("/hold?n=" + i))
                    .timeout(Duration.ofSeconds(15));
            if (somePosts && i % 2 == 0) {
                request.POST(HttpRequest.BodyPublishers.ofString("payload-" + i));
            }
            responses.add(CLIENT.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
        }
        return responses;
    }

    @Test
    void oneConnectionCarriesFiftyConcurrentStreams() throws Exception {
        try (H2Backend backend = H2Backend.h2c(null);
             TestGateway gateway = TestGateway.start(h2cPool(backend, ""), 1)) {
            List<CompletableFuture<HttpResponse<String>>> responses = send(gateway, 50, false);

            await().atMost(Duration.ofSeconds(10)).until(() -> backend.openStreams() == 50);
            assertThat(backend.connections()).as("connections the backend accepted").isEqualTo(1);
            assertThat(backend.maxStreamsOnOneConnection()).isEqualTo(50);
            String label = "backend=\"127.0.0.1:" + backend.port() + "\"";
            assertThat(gateway.metric("gatehouse_pool_streams", label)).isEqualTo(50);
            assertThat(gateway.metric("gatehouse_pool_connections", label, "state=\"active\"")).isEqualTo(1);

            backend.releaseHeld();
            for (int i = 0; i < 50; i++) {
                HttpResponse<String> response = responses.get(i).get();
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body())
                        .isEqualTo("h2 GET /hold?n=" + i + " authority=127.0.0.1:" + backend.port());
            }
            assertThat(backend.connections()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(gateway.metric("gatehouse_pool_streams", label)).isZero();
                assertThat(gateway.metric("gatehouse_pool_connections", label, "state=\"idle\"")).isEqualTo(1);
            });
        }
    }

    @Test
    void theBackendsMaxConcurrentStreamsIsHonouredAndTheRestWait() throws Exception {
        try (H2Backend backend = H2Backend.h2c(4);
             TestGateway gateway = TestGateway.start(h2cPool(backend, "max_connections: 2"), 1)) {
            List<CompletableFuture<HttpResponse<String>>> responses = send(gateway, 20, false);

            // Two connections of four streams each; the other twelve requests wait in the pool's queue.
            await().atMost(Duration.ofSeconds(10)).until(() -> backend.openStreams() == 8);
            assertThat(backend.connections()).isEqualTo(2);

            backend.releaseHeld();
            for (CompletableFuture<HttpResponse<String>> response : responses) {
                assertThat(response.get().statusCode()).isEqualTo(200);
            }
            assertThat(backend.maxStreamsOnOneConnection()).as("streams on one connection at once").isEqualTo(4);
            assertThat(backend.connections()).isEqualTo(2);
            assertThat(backend.processed()).hasSize(20);
        }
    }

    @Test
    void aGoAwayMidTrafficLosesNoRequestAndResendsTheUnprocessedOnesPostsIncluded() throws Exception {
        try (H2Backend backend = H2Backend.h2c(null);
             TestGateway gateway = TestGateway.start(h2cPool(backend, ""), 1)) {
            // At the 11th stream (id 21) the backend says it processed up to stream 11 only: streams 13 to 21 are
            // dropped unanswered, and the gateway must send them again on a new connection.
            backend.goAwayAt(21, 11);
            List<CompletableFuture<HttpResponse<String>>> responses = send(gateway, 30, true);

            await().atMost(Duration.ofSeconds(10)).until(() -> backend.held() == 30);
            assertThat(backend.connections()).isEqualTo(2);
            backend.releaseHeld();

            for (int i = 0; i < 30; i++) {
                HttpResponse<String> response = responses.get(i).get();
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).startsWith("h2 " + (i % 2 == 0 ? "POST" : "GET") + " /hold?n=" + i + " ")
                        .endsWith(i % 2 == 0 ? " body=payload-" + i : "authority=127.0.0.1:" + backend.port());
            }
            List<String> processed = backend.processed();
            assertThat(processed).as("each request processed exactly once").hasSize(30);
            assertThat(new HashSet<>(processed)).hasSize(30);
        }
    }

    @Test
    void aPostRefusedWithRefusedStreamIsSentAgainWithItsBody() throws Exception {
        try (H2Backend backend = H2Backend.h2c(null);
             TestGateway gateway = TestGateway.start(h2cPool(backend, ""), 1)) {
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(gateway.uri("/refuse-once"))
                    .POST(HttpRequest.BodyPublishers.ofString("order-1")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("h2 POST /refuse-once authority=127.0.0.1:" + backend.port()
                    + " body=order-1");
            assertThat(backend.processed()).hasSize(1);
        }
    }

    @Test
    void aConnectionWithoutStreamsClosesAfterTheKeepaliveTimeout() throws Exception {
        try (H2Backend backend = H2Backend.h2c(null);
             TestGateway gateway = TestGateway.start(h2cPool(backend, "keepalive_timeout: 300ms"), 1)) {
            assertThat(gateway.get("/a").statusCode()).isEqualTo(200);
            assertThat(gateway.get("/b").statusCode()).isEqualTo(200);
            assertThat(backend.connections()).isEqualTo(1);

            await().atMost(Duration.ofSeconds(5)).until(() -> backend.openConnections() == 0);
            String label = "backend=\"127.0.0.1:" + backend.port() + "\"";
            assertThat(gateway.metric("gatehouse_pool_connections", label, "state=\"idle\"")).isZero();
            assertThat(gateway.metric("gatehouse_pool_connections", label, "state=\"active\"")).isZero();
        }
    }

    @Test
    void aReloadThatRemovesTheBackendClosesItsConnectionOnceItsStreamsEnd() throws Exception {
        try (H2Backend backend = H2Backend.h2c(null); H2Backend next = H2Backend.h2c(null);
             TestGateway gateway = TestGateway.start(h2cPool(backend, ""), 1)) {
            List<CompletableFuture<HttpResponse<String>>> held = send(gateway, 3, false);
            await().atMost(Duration.ofSeconds(5)).until(() -> backend.held() == 3);

            gateway.install(h2cPool(next, ""));
            assertThat(gateway.get("/after").body()).startsWith("h2 GET /after authority=127.0.0.1:" + next.port());
            assertThat(backend.openConnections()).as("still carrying its streams").isEqualTo(1);

            backend.releaseHeld();
            for (CompletableFuture<HttpResponse<String>> response : held) {
                assertThat(response.get().statusCode()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> backend.openConnections() == 0);
        }
    }
}
