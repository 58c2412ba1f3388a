package io.gatehouse.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.lifecycle.StartupGate;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.testing.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a reload keeps of the security chain's live state: the buckets of an unchanged rate-limit policy, the count in
 * flight of an unchanged route bulkhead; and what it starts afresh. Time is the test's clock, never the system's.
 */
class EdgeSecurityReconfigureTest {
    private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

    private final AtomicLong nanos = new AtomicLong(Duration.ofHours(1).toNanos());
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final GatewayMetrics metrics = new GatewayMetrics();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private static GatewayConfig config(String policy, String routeKeys) {
        return ConfigLoader.parse("""
                rate_limit:
                  policies: [%s]
                routes:
                  - {id: r, match: {path_prefix: /r}, upstream: "http://127.0.0.1:9", rate_limit: [per-ip]%s}
                  - {id: other, match: {path_prefix: /}, upstream: "http://127.0.0.1:9"}
                """.formatted(policy, routeKeys), Map.of());
    }

    private static GatewayConfig perIp(long limit) {
        return config("{id: per-ip, key: client_ip, limit: " + limit + ", period: 1m}", "");
    }

    private EdgeSecurity security(GatewayConfig config) {
        return new EdgeSecurity(config, metrics, scheduler, nanos::get);
    }

    /** One request through route r's chain, resumed after each wait as the gateway does. */
    private static Admission admit(EdgeSecurity security) {
        AdmissionProgress progress = new AdmissionProgress();
        progress.reset();
        Admission admission;
        while ((admission = security.policy("r").admit(new DefaultHttpHeaders(), CLIENT, null, progress))
                instanceof Admission.Waiting waiting) {
            await().atMost(Duration.ofSeconds(10)).until(waiting.ready()::isDone);
        }
        return admission;
    }

    private static void awaitReady(EdgeSecurity security) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> security.startupGates().stream().allMatch(StartupGate::isOpen));
    }

    /** Tokens left after an admitted request; fails on a refusal. */
    private static long remaining(EdgeSecurity security) {
        Admission admission = admit(security);
        assertThat(admission).isInstanceOf(Admission.Admitted.class);
        return ((Admission.Admitted) admission).rateLimit().remaining();
    }

    @Test
    void aBucketHalfUsedKeepsItsRemainingTokensWhenThePolicyIsUnchanged() {
        EdgeSecurity current = security(perIp(4));
        assertThat(remaining(current)).isEqualTo(3);
        assertThat(remaining(current)).isEqualTo(2);

        EdgeSecurity next = current.reconfigure(config("{id: per-ip, key: client_ip, limit: 4, period: 1m}",
                ", response_timeout: 5s"));
        current.retire(next);

        assertThat(remaining(next)).isEqualTo(1);
        assertThat(remaining(next)).isEqualTo(0);
        assertThat(admit(next)).isInstanceOf(Admission.Refused.class);
    }

    @Test
    void aRouteLeftAsItWasKeepsItsCompiledPolicyAndAChangedOneIsCompiledAgain() {
        EdgeSecurity current = security(perIp(4));

        EdgeSecurity next = current.reconfigure(config("{id: per-ip, key: client_ip, limit: 4, period: 1m}",
                ", response_timeout: 5s"));

        assertThat(next.policy("other")).as("route and shared settings unchanged").isSameAs(current.policy("other"));
        assertThat(next.policy("r")).as("route r changed").isNotSameAs(current.policy("r"));
        EdgeSecurity widened = next.reconfigure(config("{id: per-ip, key: client_ip, limit: 5, period: 1m}",
                ", response_timeout: 5s"));
        assertThat(widened.policy("other")).as("a changed rate_limit section compiles every route again")
                .isNotSameAs(next.policy("other"));
        assertThat(remaining(widened)).isEqualTo(4);
    }

    @Test
    void aChangedLimitStartsWithAFullBucket() {
        EdgeSecurity current = security(perIp(4));
        remaining(current);
        remaining(current);

        EdgeSecurity next = current.reconfigure(perIp(10));

        assertThat(remaining(next)).isEqualTo(9);
        assertThat(remaining(current)).as("the running chain is untouched until it is replaced").isEqualTo(1);
    }

    @Test
    void aPolicyKeepsItsBucketsOnlyUnderTheSameId() {
        EdgeSecurity current = security(perIp(4));
        remaining(current);

        GatewayConfig renamed = ConfigLoader.parse("""
                rate_limit:
                  policies: [{id: by-client, key: client_ip, limit: 4, period: 1m}]
                routes:
                  - {id: r, match: {path_prefix: /r}, upstream: "http://127.0.0.1:9", rate_limit: [by-client]}
                """, Map.of());

        assertThat(remaining(current.reconfigure(renamed))).isEqualTo(3);
    }

    @Test
    void bucketsRefillOnTheInjectedClock() {
        EdgeSecurity security = security(perIp(4));
        for (int i = 0; i < 4; i++) {
            remaining(security);
        }
        Admission refused = admit(security);
        assertThat(refused).isInstanceOf(Admission.Refused.class);
        assertThat(((Admission.Refused) refused).rejection().status().code()).isEqualTo(429);

        nanos.addAndGet(Duration.ofSeconds(15).toNanos() - 1);
        assertThat(admit(security)).as("4 a minute: one token each 15 s").isInstanceOf(Admission.Refused.class);
        nanos.addAndGet(1);
        assertThat(remaining(security)).isEqualTo(0);
    }

    @Test
    void aRouteBulkheadKeepsItsRequestsInFlightWhenItsBoundIsUnchanged() {
        String policy = "{id: per-ip, key: client_ip, limit: 100, period: 1m}";
        EdgeSecurity current = security(config(policy, ", max_concurrent_requests: 1"));
        Admission.Admitted inFlight = (Admission.Admitted) admit(current);

        EdgeSecurity next = current.reconfigure(config(policy, ", max_concurrent_requests: 1"));
        Admission whileFull = admit(next);
        assertThat(whileFull).isInstanceOf(Admission.Refused.class);
        assertThat(((Admission.Refused) whileFull).rejection().code()).isEqualTo("bulkhead_full");

        inFlight.release().run();
        assertThat(admit(next)).isInstanceOf(Admission.Admitted.class);

        EdgeSecurity widened = next.reconfigure(config(policy, ", max_concurrent_requests: 2"));
        assertThat(admit(widened)).as("a new bound starts with nothing in flight").isInstanceOf(Admission.Admitted.class);
        assertThat(admit(widened)).isInstanceOf(Admission.Admitted.class);
        assertThat(admit(widened)).isInstanceOf(Admission.Refused.class);
    }

    @Test
    void theRedisConnectionIsKeptWhileItsSettingsAreUnchangedAndClosedWhenReplaced() throws Exception {
        try (RedisServer redis = RedisServer.start();
             StatefulRedisConnection<String, String> observer = RedisClient.create(redis.uri()).connect()) {
            String section = "rate_limit:\n  backend: redis\n  redis: {uri: \"" + redis.uri() + "\", timeout: %s}\n"
                    + "  policies: [{id: per-ip, key: client_ip, limit: %d, period: 24h}]\n"
                    + "routes:\n  - {id: r, match: {path_prefix: /}, upstream: \"http://127.0.0.1:9\", rate_limit: [per-ip]}\n";
            EdgeSecurity current = security(ConfigLoader.parse(section.formatted("1s", 100), Map.of()));
            current.start();
            awaitReady(current);
            assertThat(remaining(current)).isEqualTo(99);
            assertThat(gatewayConnections(observer)).isEqualTo(1);

            EdgeSecurity next = current.reconfigure(ConfigLoader.parse(section.formatted("1s", 50), Map.of()));
            next.start();
            current.retire(next);
            assertThat(next.startupGates()).allMatch(StartupGate::isOpen);
            assertThat(remaining(next)).as("a changed policy names new buckets in the same Redis").isEqualTo(49);
            assertThat(gatewayConnections(observer)).as("the connection was kept").isEqualTo(1);

            EdgeSecurity moved = next.reconfigure(ConfigLoader.parse(section.formatted("2s", 50), Map.of()));
            moved.start();
            awaitReady(moved);
            assertThat(remaining(moved)).as("the same buckets through a new connection").isEqualTo(48);
            assertThat(gatewayConnections(observer)).isEqualTo(2);
            next.retire(moved);
            await().atMost(Duration.ofSeconds(10)).until(() -> gatewayConnections(observer) == 1);

            EdgeSecurity dropped = moved.reconfigure(ConfigLoader.parse(section.formatted("3s", 50), Map.of()));
            dropped.start();
            awaitReady(dropped);
            assertThat(gatewayConnections(observer)).isEqualTo(2);
            dropped.retire(moved); // a successor that is not installed after all
            await().atMost(Duration.ofSeconds(10)).until(() -> gatewayConnections(observer) == 1);
            assertThat(remaining(moved)).as("the one in force still answers").isEqualTo(47);
            moved.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> gatewayConnections(observer) == 0);
        }
    }

    /** Clients connected to Redis, other than the observer itself. */
    private static long gatewayConnections(StatefulRedisConnection<String, String> observer) {
        return observer.sync().clientList().lines().filter(line -> !line.isBlank()).count() - 1;
    }
}
