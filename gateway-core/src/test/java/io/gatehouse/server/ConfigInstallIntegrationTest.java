package io.gatehouse.server;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.proxy.GatewaySnapshot;
import io.gatehouse.testing.NamedBackend;
import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.StreamingBackend;
import io.gatehouse.testing.TestDiscovery;
import io.gatehouse.testing.TestGateway;
import io.gatehouse.upstream.Backend;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.gatehouse.testing.MockBackends.received;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A running gateway given a new configuration ({@link GatewayServer#install}): requests under way finish on the
 * configuration they started with, keep-alive connections carry on, kept backends keep their connections, removed
 * ones drain and close, added ones with health checks wait for a healthy probe, discovered members come and go, and
 * a configuration that cannot be installed changes nothing.
 */
class ConfigInstallIntegrationTest {
    private static final Duration WITHIN = Duration.ofSeconds(5);

    @Test
    void aResponseUnderWayFinishesAfterAnInstallRemovesItsRouteAndPool() throws Exception {
        long size = 8L * 1024 * 1024;
        try (StreamingBackend files = new StreamingBackend(); NamedBackend other = new NamedBackend("other");
             TestGateway gateway = TestGateway.start(twoRoutes(files.port(), other))) {
            Backend filesBackend = gateway.server().snapshot().pools().get("files").backends().get(0);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<InputStream> response = client.send(
                    HttpRequest.newBuilder(gateway.uri("/download?bytes=" + size)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                assertThat(body.readNBytes(1024)).hasSize(1024); // the response is under way, far from complete

                gateway.install(otherOnly(other));

                assertThat(gateway.get("/download?bytes=10").statusCode()).as("the route is gone").isEqualTo(404);
                assertThat(filesBackend.isRetired()).as("still serving the response").isFalse();
                assertThat(1024 + body.transferTo(OutputStreamSink.INSTANCE)).isEqualTo(size);
            }
            assertThat(response.statusCode()).isEqualTo(200);
            await().atMost(WITHIN).until(() -> !gateway.server().runtime().connectionPools().holds(filesBackend));
            assertThat(filesBackend.isRetired()).isTrue();
            assertThat(gateway.metric("gatehouse_pool_connections", "pool=\"files\"", "state=\"idle\""))
                    .as("no gauge left for the removed pool").isNaN();
        }
    }

    @Test
    void keepAliveConnectionsKeepWorkingAcrossInstalls() throws Exception {
        try (NamedBackend a = new NamedBackend("A"); NamedBackend b = new NamedBackend("B");
             TestGateway gateway = TestGateway.start(users(a)); RawHttp client = gateway.connect()) {
            for (int install = 0; install < 6; install++) {
                gateway.install(install % 2 == 0 ? users(a, b) : users(b));
                for (int request = 0; request < 3; request++) {
                    Reply reply = Reply.parse(client.send(RawHttp.request("GET", "/users/" + request,
                            "Host: gw")).readResponse());
                    assertThat(reply.status()).as("install %d, request %d", install, request).isEqualTo(200);
                    assertThat(reply.body()).isIn("A", "B");
                    if (install % 2 == 1) {
                        assertThat(reply.body()).as("A was removed").isEqualTo("B");
                    }
                }
            }
        }
    }

    @Test
    void aKeptBackendKeepsItsObjectAndPooledConnections() throws Exception {
        try (NamedBackend a = new NamedBackend("A"); NamedBackend b = new NamedBackend("B");
             TestGateway gateway = TestGateway.start(users(a))) {
            Backend kept = gateway.server().snapshot().pools().get("users").backends().get(0);
            assertThat(gateway.get("/users/1").body()).isEqualTo("A");
            double idleBefore = gateway.metric("gatehouse_pool_connections", "backend=\"127.0.0.1:" + a.port() + "\"",
                    "state=\"idle\"");

            gateway.install(users(a, b));

            GatewaySnapshot snapshot = gateway.server().snapshot();
            assertThat(snapshot.pools().get("users").backends().get(0)).isSameAs(kept);
            assertThat(idleBefore).isEqualTo(1);
            assertThat(gateway.metric("gatehouse_pool_connections", "backend=\"127.0.0.1:" + a.port() + "\"",
                    "state=\"idle\"")).as("its pooled connection is still there").isEqualTo(1);
            assertThat(bodies(gateway, 4)).containsExactlyInAnyOrder("A", "A", "B", "B");
        }
    }

    @Test
    void anAddedBackendWithHealthChecksTakesNoRequestBeforeItsFirstHealthyProbe() throws Exception {
        try (NamedBackend a = new NamedBackend("A"); NamedBackend b = new NamedBackend("B");
             TestGateway gateway = TestGateway.start(checked(a))) {
            b.healthStatus(503);

            gateway.install(checked(a, b));

            await().atMost(WITHIN).until(() -> b.probes() >= 2);
            assertThat(bodies(gateway, 10)).as("B failed its probes").containsOnly("A");
            b.healthStatus(200);
            Set<String> seen = new HashSet<>();
            await().atMost(WITHIN).until(() -> {
                seen.addAll(bodies(gateway, 2));
                return seen.contains("B");
            });
        }
    }

    @Test
    void discoveredMembersJoinAndLeaveThePool() throws Exception {
        TestDiscovery discovery = new TestDiscovery();
        try (NamedBackend a = new NamedBackend("A"); NamedBackend b = new NamedBackend("B");
             NamedBackend c = new NamedBackend("C");
             TestGateway gateway = TestGateway.start(discovering(a), StartOptions.defaults().threads(2)
                     .discoveries(discovery))) {
            assertThat(bodies(gateway, 4)).containsOnly("A");

            discovery.report(b.url(), c.url());
            await().atMost(WITHIN).until(() -> gateway.server().snapshot().pools().get("users").backends().size() == 3);
            assertThat(bodies(gateway, 6)).containsExactlyInAnyOrder("A", "A", "B", "B", "C", "C");
            Backend leaving = gateway.server().snapshot().pools().get("users").backends().get(1);

            discovery.report(c.url());
            await().atMost(WITHIN).until(() -> gateway.server().snapshot().pools().get("users").backends().size() == 2);
            assertThat(bodies(gateway, 4)).containsExactlyInAnyOrder("A", "A", "C", "C");
            await().atMost(WITHIN).until(() -> !gateway.server().runtime().connectionPools().holds(leaving));
            assertThat(gateway.server().current().pools().get("users").backends()).as("the configuration as written")
                    .hasSize(1);

            gateway.install(discovering(a).replace("port: 1", "port: 2"));
            assertThat(discovery.closed()).as("changed discovery settings replace the discovery").isEqualTo(1);
            assertThat(bodies(gateway, 4)).as("members kept until the new discovery reports")
                    .containsExactlyInAnyOrder("A", "A", "C", "C");
        }
    }

    @Test
    void aConfigurationThatCannotBeInstalledChangesNothing() throws Exception {
        StartOptions noDiscovery = StartOptions.defaults().threads(2).discoveries((config, context) -> {
            throw new IllegalStateException("not available here");
        });
        try (NamedBackend a = new NamedBackend("A"); NamedBackend b = new NamedBackend("B");
             TestGateway gateway = TestGateway.start(users(a), noDiscovery)) {
            GatewayConfig before = gateway.server().current();
            GatewaySnapshot snapshot = gateway.server().snapshot();

            GatewayConfig otherPort = ConfigLoader.parse(users(b).replace("routes:", "server: {port: 1}\nroutes:"),
                    Map.of());
            assertThatThrownBy(() -> gateway.server().install(otherPort))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("server.port: cannot change");
            assertThatThrownBy(() -> gateway.install(discovering(b)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("pools.users.discovery: not available here");

            assertThat(gateway.server().current()).isSameAs(before);
            assertThat(gateway.server().snapshot()).isSameAs(snapshot);
            assertThat(bodies(gateway, 2)).containsOnly("A");
        }
    }

    @Test
    void aRouteKeepsItsOpenBreakerAcrossAnInstallThatLeavesItsSettingsAlone() throws Exception {
        String state = "gatehouse_route_circuit_breaker_state";
        try (NamedBackend a = new NamedBackend("A"); TestGateway gateway = TestGateway.start(guarded(a, "10s"))) {
            a.healthStatus(503);
            assertThat(gateway.get("/guarded/healthz").statusCode()).as("the backend's 503").isEqualTo(503);
            assertThat(gateway.metric(state, "route=\"guarded\"")).isEqualTo(1.0);

            gateway.install(guarded(a, "10s") + "  - {id: more, match: {path_prefix: /more}, pool: users}\n");

            HttpResponse<String> refused = gateway.get("/guarded/1");
            assertThat(refused.body()).as("still open").contains("\"error\":\"circuit_open\"");
            assertThat(gateway.metric(state, "route=\"guarded\"")).isEqualTo(1.0);

            gateway.install(guarded(a, "20s"));

            assertThat(gateway.get("/guarded/1").body()).as("a new breaker for new settings").isEqualTo("A");
            assertThat(gateway.metric(state, "route=\"guarded\"")).as("the gauge follows it").isEqualTo(0.0);
        }
    }

    /** Each request reads the configuration when its head arrives, also on a connection opened before a reload. */
    @Test
    void theNextRequestOnAnOpenConnectionFollowsNewTrustedProxies() throws Exception {
        try (MockWebServer backend = new MockWebServer()) {
            backend.start();
            backend.enqueue(new MockResponse.Builder().code(200).body("one").build());
            backend.enqueue(new MockResponse.Builder().code(200).body("two").build());
            String yaml = """
                    pools:
                      users: {backends: ["http://127.0.0.1:%d"]}
                    routes:
                      - {id: users, match: {path_prefix: /}, pool: users}
                    """.formatted(backend.getPort());
            try (TestGateway gateway = TestGateway.start(yaml); RawHttp client = gateway.connect()) {
                String request = RawHttp.request("GET", "/", "Host: gw", "X-Forwarded-For: 203.0.113.9");
                assertThat(Reply.parse(client.send(request).readResponse()).status()).isEqualTo(200);
                assertThat(received(backend).getHeaders().get("X-Forwarded-For")).isEqualTo("127.0.0.1");

                gateway.install("server: {trusted_proxies: [127.0.0.1/32]}\n" + yaml);

                assertThat(Reply.parse(client.send(request).readResponse()).status()).isEqualTo(200);
                assertThat(received(backend).getHeaders().get("X-Forwarded-For"))
                        .as("the gateway's own address is now a trusted proxy").isEqualTo("203.0.113.9, 127.0.0.1");
            }
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private static String users(NamedBackend... backends) {
        return usersWith("", backends);
    }

    private static String checked(NamedBackend... backends) {
        return usersWith("health_check: {path: /healthz, interval: 100ms, timeout: 100ms, healthy_threshold: 2, "
                + "unhealthy_threshold: 2}", backends);
    }

    private static String discovering(NamedBackend staticBackend) {
        return usersWith("discovery: {dns: {name: users.internal, port: 1}}", staticBackend);
    }

    private static String usersWith(String poolKeys, NamedBackend... backends) {
        List<String> urls = new ArrayList<>();
        for (NamedBackend backend : backends) {
            urls.add("\"" + backend.url() + "\"");
        }
        return """
                pools:
                  users:
                    backends: [%s]
                    %s
                routes:
                  - {id: users, match: {path_prefix: /users}, pool: users}
                """.formatted(String.join(", ", urls), poolKeys);
    }

    /** Route {@code guarded} ({@code /guarded/...} stripped, so {@code /guarded/healthz} reaches the health page). */
    private static String guarded(NamedBackend backend, String openFor) {
        return """
                pools:
                  users: {backends: ["%s"]}
                routes:
                  - id: guarded
                    match: {path_prefix: /guarded}
                    strip_prefix: true
                    pool: users
                    retry: {attempts: 1}
                    circuit_breaker: {consecutive_failures: 1, failure_rate: 0, open_for: %s}
                """.formatted(backend.url(), openFor);
    }

    private static String twoRoutes(int filesPort, NamedBackend other) {
        return """
                pools:
                  files: {backends: ["http://127.0.0.1:%d"]}
                  other: {backends: ["%s"]}
                routes:
                  - {id: files, match: {path_prefix: /download}, pool: files}
                  - {id: other, match: {path_prefix: /other}, pool: other}
                """.formatted(filesPort, other.url());
    }

    private static String otherOnly(NamedBackend other) {
        return """
                pools:
                  other: {backends: ["%s"]}
                routes:
                  - {id: other, match: {path_prefix: /other}, pool: other}
                """.formatted(other.url());
    }

    /** The bodies of {@code count} sequential requests, each of which must succeed. */
    private static List<String> bodies(TestGateway gateway, int count) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = gateway.get("/users/" + i);
            assertThat(response.statusCode()).as("request %d: %s", i, response.body()).isEqualTo(200);
            bodies.add(response.body());
        }
        return bodies;
    }

    /** Where a body is read to and dropped. */
    private static final class OutputStreamSink extends OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
