package io.gatehouse.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.testing.RedisServer;
import io.gatehouse.testing.TestGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rate limits shared by several gateway instances through a real redis-server: together they admit the
 * configured limit, not a multiple of it, and an unreachable Redis follows on_error.
 */
class RedisRateLimitIntegrationTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final MockWebServer backend = new MockWebServer();
    private final List<TestGateway> gateways = new ArrayList<>();
    private RedisServer redis;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        backend.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().body("ok").build();
            }
        });
        backend.start(0);
    }

    @AfterEach
    void stop() throws Exception {
        gateways.forEach(TestGateway::close);
        backend.close();
        redis.close();
    }

    private TestGateway gateway(String onError, String timeout) {
        TestGateway gateway = startWithoutWaiting(onError, timeout);
        await("connected to Redis").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> status(gateway, "/warm") == 200);
        return gateway;
    }

    private TestGateway startWithoutWaiting(String onError, String timeout) {
        TestGateway gateway = TestGateway.start("""
                rate_limit:
                  backend: redis
                  redis: {uri: "%s", timeout: %s, on_error: %s}
                  policies:
                    - {id: shared, key: global, limit: 100, period: 1h}
                    - {id: warm, key: client_ip, limit: 1000000, period: 1s}
                routes:
                  - {id: warm, match: {path_prefix: /warm}, upstream: "http://127.0.0.1:%d", rate_limit: [warm]}
                  - {id: limited, match: {path_prefix: /}, upstream: "http://127.0.0.1:%d", rate_limit: [shared]}
                """.formatted(redis.uri(), timeout, onError, backend.getPort(), backend.getPort()));
        gateways.add(gateway);
        return gateway;
    }

    private static int status(TestGateway gateway, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(10)).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void threeInstancesHammeredTogetherAdmitTheLimitOnce() throws Exception {
        List<TestGateway> three = List.of(gateway("deny", "2s"), gateway("deny", "2s"), gateway("deny", "2s"));
        ExecutorService clients = Executors.newFixedThreadPool(6);
        List<Future<int[]>> results = new ArrayList<>();
        try {
            for (int t = 0; t < 6; t++) {
                TestGateway target = three.get(t % 3);
                results.add(clients.submit(() -> {
                    int[] counts = new int[600];
                    for (int i = 0; i < 60; i++) {
                        counts[status(target, "/items")]++;
                    }
                    return counts;
                }));
            }
            int admitted = 0;
            int limited = 0;
            for (Future<int[]> result : results) {
                admitted += result.get()[200];
                limited += result.get()[429];
            }
            System.out.printf("Redis-shared limit of 100: admitted %d of 360 across 3 instances (%.2f of the limit),"
                    + " 429 for %d%n", admitted, admitted / 100.0, limited);
            assertThat(admitted).as("admitted in total").isBetween(99, 100);
            assertThat(limited).isEqualTo(360 - admitted);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void whenRedisIsDownOnErrorAllowAdmitsAndCountsTheFallback() throws Exception {
        TestGateway gateway = gateway("allow", "200ms");
        assertThat(status(gateway, "/items")).isEqualTo(200);
        redis.stop();

        assertThat(status(gateway, "/items")).isEqualTo(200);
        assertThat(status(gateway, "/items")).isEqualTo(200);

        assertThat(gateway.metric("gatehouse_rate_limit_redis_fallbacks_total", "on_error=\"allow\""))
                .isGreaterThanOrEqualTo(2.0);
    }

    @Test
    void aGatewayStartedBeforeRedisConnectsWhenRedisComesUp() throws Exception {
        redis.close();
        redis = RedisServer.notStarted();
        TestGateway gateway = startWithoutWaiting("deny", "200ms");
        assertThat(status(gateway, "/items")).as("no Redis yet: on_error deny").isEqualTo(503);

        redis.launch();

        await("connected once Redis is up").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> status(gateway, "/items") == 200);
    }

    @Test
    void whenRedisIsDownOnErrorDenyRefusesWith503() throws Exception {
        TestGateway gateway = gateway("deny", "200ms");
        assertThat(status(gateway, "/items")).isEqualTo(200);
        redis.stop();

        assertThat(status(gateway, "/items")).isEqualTo(503);
        assertThat(gateway.metric("gatehouse_rate_limit_redis_fallbacks_total", "on_error=\"deny\""))
                .isGreaterThanOrEqualTo(1.0);
    }
}
