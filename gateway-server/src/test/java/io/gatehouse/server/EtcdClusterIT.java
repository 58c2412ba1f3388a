package io.gatehouse.server;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.gatehouse.samples.SampleServer;
import io.gatehouse.samples.ServiceKind;
import io.gatehouse.server.GatehouseProcesses.Child;
import io.gatehouse.testing.EtcdServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three gateway processes from the fat jar on one real etcd: the configuration is one etcd key, and the users pool
 * takes its members from etcd, where sample-service processes register themselves with a lease. Separate processes,
 * because that is how instances share nothing but etcd. The times are printed for the closing note.
 */
class EtcdClusterIT {
    private static final int INSTANCES = 3;
    private static final String CONFIG_KEY = "/gatehouse/config";
    private static final String USERS_PREFIX = "/gatehouse/pools/users/";
    private static final Duration LEASE_TTL = Duration.ofSeconds(3);
    /**
     * The target is a second, and the printed times show it (0.3 to 0.8 s here). The assertion allows twice
     * that, because eight builds share this machine's two cores and a cold JVM's first reload can take 0.5 s of it;
     * a watch that missed the change would take the 30 s of the poll.
     */
    private static final Duration PROPAGATION_LIMIT = Duration.ofSeconds(2);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService pollers = Executors.newFixedThreadPool(INSTANCES);

    @TempDir
    Path dir;

    private GatehouseProcesses processes;
    private EtcdServer etcd;
    private SampleServer inventory;
    private final List<Instance> instances = new ArrayList<>();

    private record Instance(int port, int adminPort, Child child) {}

    @BeforeAll
    static void jarsAreBuilt() {
        GatehouseProcesses.assertJarIsBuilt();
        assertThat(GatehouseProcesses.SAMPLES_JAR).as("the sample services' jar").isRegularFile();
    }

    @BeforeEach
    void start() throws Exception {
        processes = new GatehouseProcesses(dir);
        etcd = EtcdServer.start();
        inventory = SampleServer.start(ServiceKind.INVENTORY, "inventory-1", 0);
        // Its first answer loads classes in this JVM: not part of what the times below measure.
        assertThat(get(inventory.port(), "/inventory").statusCode()).isEqualTo(200);
        etcd.put(CONFIG_KEY, config(""));
        for (int i = 0; i < INSTANCES; i++) {
            int port = GatehouseProcesses.freePort();
            int adminPort = GatehouseProcesses.freePort();
            Child child = processes.run(Map.of("GATEWAY_PORT", String.valueOf(port),
                    "ADMIN_PORT", String.valueOf(adminPort), "GATEHOUSE_ACCESS_LOG_LEVEL", "OFF"),
                    "--config", "etcd://" + etcd.authority() + CONFIG_KEY);
            instances.add(new Instance(port, adminPort, child));
        }
        for (Instance instance : instances) {
            await("instance on " + instance.port() + " ready").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100)).ignoreException(ConnectException.class)
                    .untilAsserted(() -> {
                        assertThat(instance.child().process().isAlive()).as("alive; stderr:%n%s",
                                instance.child().err()).isTrue();
                        assertThat(get(instance.port(), "/readyz").statusCode()).isEqualTo(200);
                    });
        }
    }

    /** Every instance's configuration, with {@code moreRoutes} after the users route. */
    private String config(String moreRoutes) {
        return """
                admin: {address: "127.0.0.1:${ADMIN_PORT}", allow_unauthenticated_loopback: true}
                pools:
                  users:
                    backends: []
                    discovery: {etcd: {prefix: %s}}
                  inventory:
                    backends: ["http://127.0.0.1:%d"]
                routes:
                  - {id: users, match: {path_prefix: /users}, pool: users}
                """.formatted(USERS_PREFIX, inventory.port()) + moreRoutes;
    }

    @AfterEach
    void stop() throws Exception {
        pollers.shutdownNow();
        processes.close();
        inventory.close();
        etcd.close();
    }

    @Test
    void aRouteAddedThroughOneInstancesAdminApiIsServedByAllThree() throws Exception {
        for (Instance instance : instances) {
            assertThat(get(instance.port(), "/inventory").statusCode()).isEqualTo(404);
        }

        long written = System.nanoTime();
        HttpResponse<String> put = send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + instances.get(0).adminPort() + "/admin/routes/inventory?persist=true"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"match\": {\"path_prefix\": \"/inventory\"}, \"pool\": \"inventory\"}")));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);

        List<Duration> took = untilEach(written, port -> servedBy(port, "/inventory", "inventory-1"));
        System.out.printf("etcd, route added through instance 0's admin API: served by instance 0, 1, 2 after "
                + "%s ms%n", millis(took));
        assertThat(took).allSatisfy(time -> assertThat(time).isLessThanOrEqualTo(PROPAGATION_LIMIT));
        assertThat(etcd.get(CONFIG_KEY)).contains("/inventory").contains("${ADMIN_PORT}");
    }

    @Test
    void aConfigurationPutToEtcdIsServedByAllThree() throws Exception {
        String next = config("  - {id: inventory, match: {path_prefix: /inventory}, pool: inventory}\n");
        try (Client writer = Client.builder().endpoints(etcd.endpoint()).build()) {
            writer.getKVClient().get(bytes(CONFIG_KEY)).get(10, TimeUnit.SECONDS); // connected before the clock starts
            long written = System.nanoTime();
            writer.getKVClient().put(bytes(CONFIG_KEY), bytes(next)).get(10, TimeUnit.SECONDS);

            List<Duration> took = untilEach(written, port -> servedBy(port, "/inventory", "inventory-1"));
            System.out.printf("etcd, configuration put: first request served by the new config on instance 0, 1, 2 "
                    + "after %s ms%n", millis(took));
            assertThat(took).allSatisfy(time -> assertThat(time).isLessThanOrEqualTo(PROPAGATION_LIMIT));
        }
    }

    @Test
    void aRegisteredServiceTakesTrafficOnAllThreeAndLeavesWithinItsLeaseOfBeingKilled() throws Exception {
        Map<String, Long> putAt = new ConcurrentHashMap<>();
        Map<String, Long> deletedAt = new ConcurrentHashMap<>();
        try (Client watcher = Client.builder().endpoints(etcd.endpoint()).build();
             Watch.Watcher ignored = watcher.getWatchClient().watch(bytes(USERS_PREFIX),
                     WatchOption.builder().isPrefix(true).build(), response -> {
                         long now = System.nanoTime();
                         for (WatchEvent event : response.getEvents()) {
                             String key = event.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
                             (event.getEventType() == WatchEvent.EventType.PUT ? putAt : deletedAt).putIfAbsent(key, now);
                         }
                     })) {
            int usersPort = GatehouseProcesses.freePort();
            String key = USERS_PREFIX + "127.0.0.1:" + usersPort;
            Child users = processes.runSampleService("users", "--port", String.valueOf(usersPort), "--name", "users-2",
                    "--register", "etcd://" + etcd.authority() + USERS_PREFIX,
                    "--lease-ttl", String.valueOf(LEASE_TTL.toSeconds()));
            await("registered").atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(putAt)
                    .as("stdout:%n%s%nstderr:%n%s", users.out(), users.err()).containsKey(key));

            List<Duration> joined = untilEach(putAt.get(key), port -> servedBy(port, "/users", "users-2"));
            System.out.printf("etcd discovery, sample service registered: taking traffic on instance 0, 1, 2 after "
                    + "%s ms%n", millis(joined));
            assertThat(joined).allSatisfy(time -> assertThat(time).isLessThanOrEqualTo(PROPAGATION_LIMIT));

            long killed = System.nanoTime();
            users.process().destroyForcibly(); // SIGKILL: no deregistration, the lease has to expire
            List<Duration> left = untilEach(killed, port -> !upstreams(port).contains("127.0.0.1:" + usersPort));
            await("lease expired").atMost(LEASE_TTL.multipliedBy(3)).until(() -> deletedAt.containsKey(key));
            System.out.printf("etcd discovery, sample service killed (-9, lease TTL %d s): key deleted after %d ms, "
                            + "gone from instance 0, 1, 2 after %s ms%n", LEASE_TTL.toSeconds(),
                    Duration.ofNanos(deletedAt.get(key) - killed).toMillis(), millis(left));
            assertThat(left).allSatisfy(time -> assertThat(time).isLessThanOrEqualTo(LEASE_TTL.plus(PROPAGATION_LIMIT)));
        }
    }

    /** Polls every instance at once until {@code done} holds for it; how long after {@code since} each took. */
    private List<Duration> untilEach(long since, PortCheck done) throws Exception {
        List<Future<Duration>> times = new ArrayList<>();
        for (Instance instance : instances) {
            times.add(pollers.submit(() -> {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                        .until(() -> done.test(instance.port()));
                return Duration.ofNanos(System.nanoTime() - since);
            }));
        }
        List<Duration> result = new ArrayList<>();
        for (Future<Duration> time : times) {
            result.add(time.get());
        }
        return result;
    }

    @FunctionalInterface
    private interface PortCheck {
        boolean test(int port) throws Exception;
    }

    private boolean servedBy(int port, String path, String name) throws Exception {
        HttpResponse<String> response = get(port, path);
        return response.statusCode() == 200 && name.equals(response.headers().firstValue("X-Served-By").orElse(null));
    }

    private String upstreams(int port) throws Exception {
        Instance instance = instances.stream().filter(i -> i.port() == port).findFirst().orElseThrow();
        return get(instance.adminPort(), "/admin/upstreams").body();
    }

    private static String millis(List<Duration> times) {
        return String.join(", ", times.stream().map(time -> String.valueOf(time.toMillis())).toList());
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
