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
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rate limits in a real redis-server: bucket names that hold across restarts and never mix kinds, readiness that
 * waits for the first connection, and an unreachable Redis following on_error. That separate gateway processes
 * share the buckets is tested with the fat jar (gateway-server's SharedRateLimitsIT): gateways in one JVM would
 * share the identities and statics that separate processes do not.
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
        return ready(startWithoutWaiting(onError, timeout, "10s"));
    }

    /** Waits until {@code /readyz} says ready: with Redis up, once the first connection is made. */
    private static TestGateway ready(TestGateway gateway) {
        await("ready").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> status(gateway, "/readyz") == 200);
        return gateway;
    }

    private TestGateway startWithoutWaiting(String onError, String timeout, String readyTimeout) {
        return started("""
                server: {ready_timeout: %s}
                rate_limit:
                  backend: redis
                  redis: {uri: "%s", timeout: %s, on_error: %s}
                  policies:
                    - {id: shared, key: global, limit: 100, period: 1h}
                routes:
                  - {id: limited, match: {path_prefix: /}, upstream: "http://127.0.0.1:%d", rate_limit: [shared]}
                """.formatted(readyTimeout, redis.uri(), timeout, onError, backend.getPort()));
    }

    private TestGateway started(String yaml) {
        TestGateway gateway = TestGateway.start(yaml);
        gateways.add(gateway);
        return gateway;
    }

    private static int status(TestGateway gateway, String path) throws Exception {
        return send(gateway, HttpRequest.newBuilder(gateway.uri(path))).statusCode();
    }

    private static HttpResponse<String> send(TestGateway gateway, HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyzWaitsForTheFirstRedisConnectionSoTheFirstRequestsAreLimitedNotRefused() throws Exception {
        redis.close();
        redis = RedisServer.notStarted();
        TestGateway gateway = startWithoutWaiting("deny", "2s", "1m");

        HttpResponse<String> starting = gateway.get("/readyz");
        assertThat(starting.statusCode()).isEqualTo(503);
        assertThat(starting.body()).isEqualTo("{\"status\":\"starting\",\"waiting_for\":[\"redis\"]}\n");

        redis.launch();
        ready(gateway);

        assertThat(gateway.get("/readyz").body()).isEqualTo("{\"status\":\"ready\"}\n");
        HttpResponse<String> first = gateway.get("/items");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("RateLimit-Remaining")).hasValue("99");
    }

    @Test
    void readyOnceTheReadyTimeoutPassesWithoutRedisThenOnErrorApplies() throws Exception {
        redis.close();
        redis = RedisServer.notStarted(); // never launched
        TestGateway gateway = ready(startWithoutWaiting("deny", "200ms", "300ms"));

        assertThat(gateway.get("/readyz").body())
                .isEqualTo("{\"status\":\"ready\",\"unavailable\":[\"redis\"]}\n");
        HttpResponse<String> refused = gateway.get("/items");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).startsWith("{\"error\":\"rate_limit_unavailable\"");
    }

    @Test
    void aConsumerNamedLikeAnAddressDoesNotShareThatAddressesBucket() throws Exception {
        String key = "key-of-the-consumer-named-2130706433";
        TestGateway gateway = ready(started("""
                rate_limit:
                  backend: redis
                  redis: {uri: "%s", timeout: 2s, on_error: deny}
                  policies:
                    - {id: per-caller, key: consumer, limit: 1, period: 1h}
                auth:
                  default: []
                  api_keys:
                    keys: [{id: "2130706433", key: "%s"}]
                routes:
                  - {id: public, match: {path_prefix: /public}, upstream: "http://127.0.0.1:%d", auth: [],
                     rate_limit: [per-caller]}
                  - {id: private, match: {path_prefix: /private}, upstream: "http://127.0.0.1:%d", auth: [api_key],
                     rate_limit: [per-caller]}
                """.formatted(redis.uri(), key, backend.getPort(), backend.getPort())));

        assertThat(status(gateway, "/public")).as("anonymous 127.0.0.1 takes its own token").isEqualTo(200);
        HttpResponse<String> consumer = send(gateway,
                HttpRequest.newBuilder(gateway.uri("/private")).header("X-API-Key", key));

        assertThat(consumer.statusCode()).as("consumer 2130706433 has a bucket of its own: %s", consumer.body())
                .isEqualTo(200);
        assertThat(status(gateway, "/public")).isEqualTo(429);
    }

    @Test
    void aChangedLimitTakesEffectAtOnceAndAnUnchangedOneOutlivesARestart() throws Exception {
        String yaml = """
                rate_limit:
                  backend: redis
                  redis: {uri: "%s", timeout: 2s, on_error: deny}
                  policies:
                    - {id: shared, key: global, limit: %d, period: 1h}
                routes:
                  - {id: limited, match: {path_prefix: /}, upstream: "http://127.0.0.1:%d", rate_limit: [shared]}
                """;
        TestGateway one = ready(started(yaml.formatted(redis.uri(), 1, backend.getPort())));
        assertThat(status(one, "/a")).isEqualTo(200);
        assertThat(status(one, "/a")).isEqualTo(429);
        one.close();

        TestGateway raised = ready(started(yaml.formatted(redis.uri(), 2, backend.getPort())));
        assertThat(status(raised, "/a")).as("limit 2: not the old bucket of limit 1, which is empty")
                .isEqualTo(200);
        raised.close();

        TestGateway restarted = ready(started(yaml.formatted(redis.uri(), 2, backend.getPort())));
        assertThat(status(restarted, "/a")).as("the second token of the limit-2 bucket").isEqualTo(200);
        assertThat(status(restarted, "/a")).as("the limit-2 bucket outlived the restart").isEqualTo(429);
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
        TestGateway gateway = startWithoutWaiting("deny", "200ms", "0s");
        assertThat(status(gateway, "/items")).as("no Redis yet: on_error deny").isEqualTo(503);

        redis.launch();

        await("connected once Redis is up").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> status(gateway, "/items") == 200);
    }

    @Test
    void whenRedisIsDownOnErrorDenyRefusesWith503() throws Exception {
        TestGateway gateway = gateway("deny", "1s");
        assertThat(status(gateway, "/items")).isEqualTo(200);
        redis.stop();

        assertThat(status(gateway, "/items")).isEqualTo(503);
        assertThat(gateway.metric("gatehouse_rate_limit_redis_fallbacks_total", "on_error=\"deny\""))
                .isGreaterThanOrEqualTo(1.0);
    }
}
