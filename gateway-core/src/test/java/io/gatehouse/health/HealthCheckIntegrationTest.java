package io.gatehouse.health;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.sun.net.httpserver.HttpServer;
import io.gatehouse.testing.CapturedLogs;
import io.gatehouse.testing.TestConfigs;
import io.gatehouse.testing.TestGateway;
import io.gatehouse.upstream.UpstreamPool;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Active health checks seen from outside: traffic shifts, the health gauge, 503s and the INFO log line. */
class HealthCheckIntegrationTest {
    private static final Duration MARK_WITHIN = Duration.ofSeconds(3);

    @Test
    void backendThatGoesAwayIsTakenOutAndComesBackWhenItRecovers() throws Exception {
        try (MockWebServer a = backend("A", healthy()); MockWebServer b = backend("B", healthy())) {
            int portB = b.getPort();
            try (TestGateway gateway = TestGateway.start(pool("200", a.getPort(), portB))) {
                assertThat(bodiesOf(gateway, 4)).as("round robin over both")
                        .isIn(List.of("A", "B", "A", "B"), List.of("B", "A", "B", "A"));

                b.close();
                await().atMost(MARK_WITHIN).until(() -> gateway.backendHealthy("users", portB) == 0);
                assertThat(gateway.backendHealthy("users", a.getPort())).isEqualTo(1);
                assertThat(bodiesOf(gateway, 10)).as("every request goes to A, none fails").containsOnly("A");

                try (AutoCloseable restarted = restartOn(portB, "B")) {
                    await().atMost(MARK_WITHIN).until(() -> gateway.backendHealthy("users", portB) == 1);
                    Set<String> seen = new HashSet<>();
                    await().atMost(MARK_WITHIN).until(() -> {
                        seen.addAll(bodiesOf(gateway, 2));
                        return seen.contains("B");
                    });
                    assertThat(seen).containsExactlyInAnyOrder("A", "B");
                }
            }
        }
    }

    @Test
    void unexpectedStatusMarksTheOnlyBackendDownLogsItAndRequestsGet503() throws Exception {
        try (MockWebServer sick = backend("S", new MockResponse.Builder().code(500).body("sick").build());
             CapturedLogs log = CapturedLogs.of(UpstreamPool.class)) {
            try (TestGateway gateway = TestGateway.start(pool("200", sick.getPort()))) {
                await().atMost(MARK_WITHIN).until(() -> gateway.backendHealthy("users", sick.getPort()) == 0);

                HttpResponse<String> response = gateway.get("/users/1");
                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(response.body()).contains("\"error\":\"no_healthy_backend\"");

                assertThat(log.messages(Level.INFO))
                        .anySatisfy(line -> assertThat(line)
                                .contains("127.0.0.1:" + sick.getPort()).contains("DOWN").contains("status 500"));
            }
        }
    }

    @Test
    void expectedStatusRangeAcceptsAnotherStatus() throws Exception {
        // The same 500 answer is healthy when the check expects 5xx: the status comparison, not the code, decides.
        try (MockWebServer odd = backend("O", new MockResponse.Builder().code(500).body("odd").build())) {
            try (TestGateway gateway = TestGateway.start(pool("5xx", odd.getPort()))) {
                awaitProbes(odd, 4);
                assertThat(gateway.backendHealthy("users", odd.getPort())).isEqualTo(1);
                assertThat(gateway.get("/users/1").body()).isEqualTo("O");
            }
        }
    }

    @Test
    void probeThatStallsPastTheTimeoutCountsAsAFailure() throws Exception {
        // Answers 200, but only after 1 s: every probe with its 100 ms timeout must fail.
        MockResponse slow = new MockResponse.Builder().code(200).body("ok")
                .headersDelay(1, TimeUnit.SECONDS).build();
        try (MockWebServer stalling = backend("T", slow)) {
            try (TestGateway gateway = TestGateway.start(pool("200", stalling.getPort()))) {
                await().atMost(MARK_WITHIN).until(() -> gateway.backendHealthy("users", stalling.getPort()) == 0);

                HttpResponse<String> response = gateway.get("/users/1");
                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(response.body()).contains("\"error\":\"no_healthy_backend\"");
            }
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private static MockResponse healthy() {
        return new MockResponse.Builder().code(200).body("ok").build();
    }

    /** A backend answering {@code /healthz} with {@code health} and everything else with 200 and its name. */
    private static MockWebServer backend(String name, MockResponse health) throws IOException {
        int port;
        MockWebServer server = new MockWebServer();
        server.setDispatcher(dispatcher(name, health));
        // An explicit port makes MockWebServer set SO_REUSEADDR, which its connections inherit; after start(0)
        // their TIME_WAIT remnants would keep the port from being bound again for a restart.
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        server.start(port);
        return server;
    }

    /** A healthy backend named {@code name} on a port a closed one used; a JDK server if MockWebServer can't bind. */
    private static AutoCloseable restartOn(int port, String name) throws IOException {
        MockWebServer again = new MockWebServer();
        again.setDispatcher(dispatcher(name, healthy()));
        try {
            again.start(port);
            return again;
        } catch (IOException bindFailed) {
            again.close();
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            server.createContext("/", exchange -> {
                byte[] body = ("/healthz".equals(exchange.getRequestURI().getPath()) ? "ok" : name)
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return () -> server.stop(0);
        }
    }

    private static Dispatcher dispatcher(String name, MockResponse health) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return "/healthz".equals(request.getTarget())
                        ? health
                        : new MockResponse.Builder().code(200).body(name).build();
            }
        };
    }

    /** Waits until the backend has answered {@code count} health probes. */
    private static void awaitProbes(MockWebServer backend, int count) {
        await().atMost(MARK_WITHIN).until(() -> backend.getRequestCount() >= count);
    }

    /** Pool {@code users} over {@code ports}, probed every 100 ms, thresholds 2, with one catch-all route. */
    private static String pool(String expectedStatus, int... ports) {
        return TestConfigs.usersPool("health_check: {path: /healthz, interval: 100ms, timeout: 100ms, "
                + "healthy_threshold: 2, unhealthy_threshold: 2, expected_status: \"" + expectedStatus + "\"}",
                "2s", ports);
    }

    /** The bodies of {@code count} sequential requests, each of which must succeed. */
    private static List<String> bodiesOf(TestGateway gateway, int count) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = gateway.get("/users/" + i);
            assertThat(response.statusCode()).as("request %d: %s", i, response.body()).isEqualTo(200);
            bodies.add(response.body());
        }
        return bodies;
    }
}
