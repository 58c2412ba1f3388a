package io.gatehouse.server;

import com.sun.net.httpserver.HttpServer;
import io.gatehouse.server.GatehouseProcesses.Child;
import io.gatehouse.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three separate gateway processes from the fat jar, sharing one real redis-server, admit a shared limit once
 * between them, not once each: for every kind of key a request carries before authentication ({@code global},
 * {@code route}, {@code client_ip}) and for a quota. Separate processes, because gateways in one JVM share the
 * object identities and statics that a key could wrongly be built from.
 *
 * <p>The periods are a day, so a bucket refills one token in about 48 minutes and the count is exact.
 */
class SharedRateLimitsIT {
    private static final int LIMIT = 30;
    private static final int INSTANCES = 3;
    /** Client threads, two per instance, all sending at once. */
    private static final int CLIENTS = 6;
    /** Three times the limit, spread over the clients. */
    private static final int REQUESTS_PER_CLIENT = 3 * LIMIT / CLIENTS;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private GatehouseProcesses gatehouse;
    private RedisServer redis;
    private HttpServer backend;

    @BeforeAll
    static void jarIsBuilt() {
        GatehouseProcesses.assertJarIsBuilt();
    }

    @BeforeEach
    void start() throws Exception {
        gatehouse = new GatehouseProcesses(dir);
        redis = RedisServer.start();
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 2);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write("ok".getBytes());
            }
        });
        backend.setExecutor(Executors.newFixedThreadPool(4));
        backend.start();
    }

    @AfterEach
    void stop() throws Exception {
        gatehouse.close();
        backend.stop(0);
        ((ExecutorService) backend.getExecutor()).shutdownNow();
        redis.close();
    }

    @Test
    void threeProcessesAdmitASharedRateLimitOnceForEveryKeyKind() throws Exception {
        List<Integer> ports = startInstances("""
                rate_limit:
                  backend: redis
                  redis: {uri: "%s", timeout: 5s, on_error: deny}
                  policies:
                    - {id: everyone, key: global, limit: %d, period: 1d}
                    - {id: per-route, key: route, limit: %d, period: 1d}
                    - {id: per-client, key: client_ip, limit: %d, period: 1d}
                routes:
                  - {id: global, match: {path_prefix: /global}, upstream: "%s", rate_limit: [everyone]}
                  - {id: route, match: {path_prefix: /route}, upstream: "%s", rate_limit: [per-route]}
                  - {id: client-ip, match: {path_prefix: /client-ip}, upstream: "%s", rate_limit: [per-client]}
                """.formatted(redis.uri(), LIMIT, LIMIT, LIMIT, upstream(), upstream(), upstream()));

        for (String path : List.of("/global", "/route", "/client-ip")) {
            Map<Integer, Integer> statuses = hammer(ports, path);
            System.out.printf("three processes, %s key: admitted %d of %d sent against a shared limit of %d%n",
                    path.substring(1), statuses.getOrDefault(200, 0), INSTANCES * LIMIT, LIMIT);
            assertThat(statuses).as("%s: statuses and their counts", path)
                    .isEqualTo(Map.of(200, LIMIT, 429, 2 * LIMIT));
        }
    }

    @Test
    void threeProcessesAdmitASharedQuotaOnce() throws Exception {
        List<Integer> ports = startInstances("""
                rate_limit:
                  backend: redis
                  redis: {uri: "%s", timeout: 5s, on_error: deny}
                  policies:
                    - {id: unused, key: client_ip, limit: 1, period: 1s}
                quotas:
                  - {id: daily, key: global, limit: %d, period: 1d}
                routes:
                  - {id: all, match: {path_prefix: /}, upstream: "%s"}
                """.formatted(redis.uri(), LIMIT, upstream()));

        Map<Integer, Integer> statuses = hammer(ports, "/quota");
        System.out.printf("three processes, global quota: admitted %d of %d sent against a shared quota of %d%n",
                statuses.getOrDefault(200, 0), INSTANCES * LIMIT, LIMIT);
        assertThat(statuses).isEqualTo(Map.of(200, LIMIT, 429, 2 * LIMIT));
    }

    private String upstream() {
        return "http://127.0.0.1:" + backend.getAddress().getPort();
    }

    /** Starts the instances, each from its own copy of {@code yaml} on its own port, and waits until all are ready. */
    private List<Integer> startInstances(String yaml) throws Exception {
        List<Integer> ports = new ArrayList<>();
        List<Child> children = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            int port = GatehouseProcesses.freePort();
            Path config = Files.writeString(dir.resolve("gateway-" + i + ".yml"), yaml);
            children.add(gatehouse.run(Map.of("GATEWAY_PORT", String.valueOf(port),
                    "GATEHOUSE_ACCESS_LOG_LEVEL", "OFF"), "--config", config.toString()));
            ports.add(port);
        }
        for (int i = 0; i < INSTANCES; i++) {
            Child child = children.get(i);
            int port = ports.get(i);
            // Ready means connected to Redis (server.ready_timeout is far longer than this wait).
            await("instance " + i + " ready").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .ignoreException(ConnectException.class)
                    .untilAsserted(() -> {
                        assertThat(child.process().isAlive()).as("alive; stderr:%n%s", child.err()).isTrue();
                        assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
                    });
        }
        return ports;
    }

    /** Sends three times the limit to {@code path}, from all clients at once, spread over the instances. */
    private Map<Integer, Integer> hammer(List<Integer> ports, String path) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int port = ports.get(c % INSTANCES);
                results.add(clients.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                        statuses.add(get(port, path).statusCode());
                    }
                    return statuses;
                }));
            }
            Map<Integer, Integer> counts = new TreeMap<>();
            for (Future<List<Integer>> result : results) {
                result.get().forEach(status -> counts.merge(status, 1, Integer::sum));
            }
            return counts;
        } finally {
            clients.shutdownNow();
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
