package io.gatehouse.discovery;

import ch.qos.logback.classic.Level;
import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.DiscoveryConfig;
import io.gatehouse.etcd.EtcdClients;
import io.gatehouse.testing.CapturedLogs;
import io.gatehouse.testing.EtcdServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A pool's members from the keys under a prefix of a real etcd. */
class EtcdDiscoveryTest {
    private static final String PREFIX = "/gatehouse/pools/users/";
    private static final Duration WITHIN = Duration.ofSeconds(10);

    private final List<List<BackendConfig>> reports = new CopyOnWriteArrayList<>();
    private EtcdServer etcd;
    private EtcdClients clients;
    private EtcdDiscovery discovery;

    @BeforeEach
    void start() throws Exception {
        etcd = EtcdServer.start();
        clients = EtcdClients.withoutConfigCluster();
        discovery = EtcdDiscovery.create(new DiscoveryConfig.Etcd(List.of(etcd.endpoint()), PREFIX), clients);
    }

    @AfterEach
    void stop() throws Exception {
        discovery.close();
        clients.close();
        etcd.close();
    }

    @Test
    void readsTheMembersUnderThePrefixAtStart() throws Exception {
        etcd.put(PREFIX + "b", "{\"url\": \"http://10.0.0.6:9001\", \"weight\": 3}");
        etcd.put(PREFIX + "a", "{\"url\": \"http://10.0.0.5:9001\"}");
        etcd.put("/gatehouse/pools/users-old/c", "{\"url\": \"http://10.0.0.7:9001\"}");

        discovery.start(reports::add);

        await().atMost(WITHIN).untilAsserted(() -> assertThat(reports).containsExactly(List.of(
                new BackendConfig("http://10.0.0.5:9001", "10.0.0.5", 9001, 1),
                new BackendConfig("http://10.0.0.6:9001", "10.0.0.6", 9001, 3))));
    }

    @Test
    void anEmptyPrefixIsReportedAsNoMembers() {
        discovery.start(reports::add);

        await().atMost(WITHIN).untilAsserted(() -> assertThat(reports).containsExactly(List.of()));
    }

    @Test
    void addedChangedAndDeletedKeysChangeTheWholeList() throws Exception {
        etcd.put(PREFIX + "a", "{\"url\": \"http://10.0.0.5:9001\"}");
        discovery.start(reports::add);
        await().atMost(WITHIN).until(() -> reports.size() == 1);

        etcd.put(PREFIX + "b", "{\"url\": \"http://10.0.0.6:9001\"}");
        await().atMost(WITHIN).untilAsserted(() -> assertThat(addresses(latest()))
                .containsExactly("10.0.0.5:9001", "10.0.0.6:9001"));

        etcd.put(PREFIX + "a", "{\"url\": \"http://10.0.0.5:9001\", \"weight\": 7}");
        await().atMost(WITHIN).untilAsserted(() -> assertThat(latest().get(0).weight()).isEqualTo(7));

        etcd.delete(PREFIX + "b");
        await().atMost(WITHIN).untilAsserted(() -> assertThat(addresses(latest())).containsExactly("10.0.0.5:9001"));
        etcd.delete(PREFIX + "a");
        await().atMost(WITHIN).untilAsserted(() -> assertThat(latest()).isEmpty());
        assertThat(reports).hasSize(5);
    }

    @Test
    void aBadValueIsLoggedOnceAndSkipped() throws Exception {
        etcd.put(PREFIX + "good", "{\"url\": \"http://10.0.0.5:9001\"}");
        etcd.put(PREFIX + "bad", "{\"url\": \"https://10.0.0.9:9001\"}");
        try (CapturedLogs logs = CapturedLogs.of(EtcdDiscovery.class)) {
            discovery.start(reports::add);
            await().atMost(WITHIN).untilAsserted(() -> assertThat(reports).hasSize(1));
            etcd.put(PREFIX + "other", "{\"url\": \"http://10.0.0.6:9001\"}");
            await().atMost(WITHIN).untilAsserted(() -> assertThat(reports).hasSize(2));
            etcd.put(PREFIX + "worse", "not json");
            etcd.put(PREFIX + "good", "{\"url\": \"http://10.0.0.5:9001\", \"weight\": 0}");

            await().atMost(WITHIN).untilAsserted(() -> assertThat(logs.messages(Level.WARN)).hasSize(3));
            assertThat(logs.messages(Level.WARN)).containsExactly(
                    "etcd discovery: skipping key /gatehouse/pools/users/bad: url: expected an http:// URL: "
                            + "discovered members cannot use TLS yet (" + EtcdMemberValue.EXPECTED + ")",
                    "etcd discovery: skipping key /gatehouse/pools/users/worse: not JSON (" + EtcdMemberValue.EXPECTED + ")",
                    "etcd discovery: skipping key /gatehouse/pools/users/good: weight: expected an integer in 1..1000 ("
                            + EtcdMemberValue.EXPECTED + ")");
            await().atMost(WITHIN).untilAsserted(() -> assertThat(addresses(latest())).containsExactly("10.0.0.6:9001"));
        }
    }

    @Test
    void aLostEtcdKeepsTheMembersAndNewOnesArriveWhenItReturns() throws Exception {
        etcd.put(PREFIX + "a", "{\"url\": \"http://10.0.0.5:9001\"}");
        discovery.start(reports::add);
        await().atMost(WITHIN).until(() -> reports.size() == 1);

        try (CapturedLogs logs = CapturedLogs.all()) {
            etcd.stop();
            await().atMost(WITHIN).untilAsserted(() -> assertThat(logs.messages(Level.WARN))
                    .anyMatch(line -> line.startsWith("etcd: lost the pool members at " + PREFIX)));
            etcd.launch();
            etcd.put(PREFIX + "b", "{\"url\": \"http://10.0.0.6:9001\"}");

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(addresses(latest()))
                    .containsExactly("10.0.0.5:9001", "10.0.0.6:9001"));
            assertThat(reports).hasSize(2);
            assertThat(logs.messages(Level.WARN)).filteredOn(line -> line.startsWith("etcd: lost")).hasSize(1);
        }
    }

    @Test
    void withoutEndpointsItNeedsTheConfigurationInEtcd() {
        DiscoveryConfig.Etcd config = new DiscoveryConfig.Etcd(List.of(), PREFIX);

        assertThatThrownBy(() -> EtcdDiscovery.create(config, clients)).isInstanceOf(ConfigException.class)
                .hasMessage("etcd.endpoints: missing (expected: a list of etcd URLs such as "
                        + "http://127.0.0.1:2379; required unless the configuration itself comes from etcd)");
        try (EtcdClients configInEtcd = new EtcdClients(List.of(etcd.endpoint()));
             EtcdDiscovery sameCluster = EtcdDiscovery.create(config, configInEtcd)) {
            sameCluster.start(reports::add);
            await().atMost(WITHIN).untilAsserted(() -> assertThat(reports).containsExactly(List.of()));
        }
    }

    private List<BackendConfig> latest() {
        return reports.get(reports.size() - 1);
    }

    private static List<String> addresses(List<BackendConfig> members) {
        return members.stream().map(BackendConfig::address).toList();
    }
}
