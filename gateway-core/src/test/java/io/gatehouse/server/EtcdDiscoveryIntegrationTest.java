package io.gatehouse.server;

import io.gatehouse.etcd.EtcdClients;
import io.gatehouse.testing.EtcdServer;
import io.gatehouse.testing.NamedBackend;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gateway whose users pool takes its members from a real etcd: keys put and deleted change where requests go,
 * and a lost etcd keeps the members and readiness.
 */
class EtcdDiscoveryIntegrationTest {
    private static final String PREFIX = "/gatehouse/pools/users/";
    private static final Duration WITHIN = Duration.ofSeconds(10);

    private EtcdServer etcd;

    @BeforeEach
    void start() throws Exception {
        etcd = EtcdServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        etcd.close();
    }

    @Test
    void keysPutAndDeletedUnderThePrefixAreThePoolsMembers() throws Exception {
        try (NamedBackend a = new NamedBackend("A"); NamedBackend b = new NamedBackend("B");
             TestGateway gateway = TestGateway.start(users("endpoints: [\"" + etcd.endpoint() + "\"], "),
                     StartOptions.defaults().threads(2))) {
            assertThat(gateway.get("/users").statusCode()).as("no members yet").isEqualTo(503);

            etcd.put(PREFIX + "a", member(a));
            await().atMost(WITHIN).until(() -> servedBy(gateway, 2).equals(Set.of("A")));
            etcd.put(PREFIX + "b", member(b));
            await().atMost(WITHIN).until(() -> servedBy(gateway, 4).equals(Set.of("A", "B")));
            etcd.delete(PREFIX + "a");
            await().atMost(WITHIN).until(() -> servedBy(gateway, 4).equals(Set.of("B")));

            etcd.stop();
            assertThat(servedBy(gateway, 4)).as("members kept while etcd is away").containsOnly("B");
            assertThat(gateway.get("/readyz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutEndpointsThePoolUsesTheClusterTheConfigurationComesFrom() throws Exception {
        try (NamedBackend a = new NamedBackend("A");
             EtcdClients configCluster = new EtcdClients(List.of(etcd.endpoint()));
             TestGateway gateway = TestGateway.start(users(""),
                     StartOptions.defaults().threads(2).etcdClients(configCluster))) {
            etcd.put(PREFIX + "a", member(a));

            await().atMost(WITHIN).until(() -> servedBy(gateway, 2).equals(Set.of("A")));
        }
    }

    private static String users(String endpoints) {
        return """
                pools:
                  users:
                    backends: []
                    discovery: {etcd: {%sprefix: %s}}
                routes:
                  - {id: users, match: {path_prefix: /users}, pool: users}
                """.formatted(endpoints, PREFIX);
    }

    private static String member(NamedBackend backend) {
        return "{\"url\": \"" + backend.url() + "\", \"weight\": 1}";
    }

    private static Set<String> servedBy(TestGateway gateway, int requests) throws Exception {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = gateway.get("/users/" + i);
            names.add(response.statusCode() == 200 ? response.body() : "status " + response.statusCode());
        }
        return names;
    }
}
