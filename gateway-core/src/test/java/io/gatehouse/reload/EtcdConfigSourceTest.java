package io.gatehouse.reload;

import ch.qos.logback.classic.Level;
import io.gatehouse.config.ConfigException;
import io.gatehouse.etcd.EtcdClients;
import io.gatehouse.etcd.EtcdLocation;
import io.gatehouse.etcd.EtcdRangeWatch;
import io.gatehouse.testing.CapturedLogs;
import io.gatehouse.testing.EtcdServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The configuration in a key of a real etcd: read, watched from the read revision, written, kept through an outage. */
class EtcdConfigSourceTest {
    private static final String KEY = "/gatehouse/config";
    private static final Duration WITHIN = Duration.ofSeconds(10);

    private EtcdServer etcd;
    private EtcdClients clients;
    private EtcdConfigSource source;

    @BeforeEach
    void start() throws Exception {
        etcd = EtcdServer.start();
        clients = new EtcdClients(List.of(etcd.endpoint()));
        source = EtcdConfigSource.open(EtcdLocation.parse("etcd://" + etcd.authority() + KEY), clients);
    }

    @AfterEach
    void stop() throws Exception {
        source.close();
        clients.close();
        etcd.close();
    }

    @Test
    void readsTheDocumentInTheKey() throws Exception {
        etcd.put(KEY, "routes: []\n# ünïcode\n");

        assertThat(source.read()).isEqualTo("routes: []\n# ünïcode\n");
        assertThat(source.location()).isEqualTo("etcd://" + etcd.authority() + KEY);
    }

    @Test
    void aMissingKeyIsOneClearError() {
        assertThatThrownBy(source::read).isInstanceOf(ConfigException.class)
                .hasMessage("etcd://" + etcd.authority() + KEY + ": no such key (expected: the YAML configuration at "
                        + "key /gatehouse/config, e.g. written with: etcdctl put /gatehouse/config < config.yml)");
    }

    @Test
    void aDocumentOverOneMebibyteIsRefused() throws Exception {
        etcd.put(KEY, "#".repeat(1024 * 1024 + 1));

        assertThatThrownBy(source::read).isInstanceOf(ConfigException.class)
                .hasMessage("etcd://" + etcd.authority() + KEY + ": 1048577 bytes (expected a config of at most 1 MiB)");
    }

    @Test
    void aChangeBetweenTheReadAndTheWatchIsNotMissed() throws Exception {
        etcd.put(KEY, "v1");
        assertThat(source.read()).isEqualTo("v1");
        etcd.put(KEY, "v2");
        AtomicInteger changes = new AtomicInteger();

        source.watch(changes::incrementAndGet);

        await().atMost(WITHIN).untilAsserted(() -> assertThat(changes).hasPositiveValue());
        assertThat(source.read()).isEqualTo("v2");
    }

    @Test
    void everyLaterChangeIsReportedAndNothingBefore() throws Exception {
        etcd.put(KEY, "v1");
        source.read();
        AtomicInteger changes = new AtomicInteger();
        source.watch(changes::incrementAndGet);
        etcd.put(KEY + "-other", "a neighbour whose name starts like the key");
        etcd.delete(KEY + "-other");

        etcd.put(KEY, "v2");
        await().atMost(WITHIN).untilAsserted(() -> assertThat(changes).hasValue(1));
        etcd.put(KEY, "v3");
        await().atMost(WITHIN).untilAsserted(() -> assertThat(changes).hasValue(2));
        assertThat(source.read()).isEqualTo("v3");
    }

    @Test
    void aWriteReachesEveryInstanceWatchingTheKey() throws Exception {
        etcd.put(KEY, "v1");
        try (EtcdClients otherClients = new EtcdClients(List.of(etcd.endpoint()));
             EtcdConfigSource other = EtcdConfigSource.open(EtcdLocation.parse("etcd://" + etcd.authority() + KEY),
                     otherClients)) {
            other.read();
            AtomicInteger seen = new AtomicInteger();
            other.watch(seen::incrementAndGet);

            source.write("written: by the admin API\n");

            assertThat(etcd.get(KEY)).isEqualTo("written: by the admin API\n");
            await().atMost(WITHIN).untilAsserted(() -> assertThat(seen).hasPositiveValue());
            assertThat(other.read()).isEqualTo("written: by the admin API\n");
        }
    }

    @Test
    void aLostEtcdIsLoggedOnceAndTheWatchResumesWhenItReturns() throws Exception {
        etcd.put(KEY, "v1");
        source.read();
        AtomicInteger changes = new AtomicInteger();
        source.watch(changes::incrementAndGet);
        try (CapturedLogs logs = CapturedLogs.of(EtcdRangeWatch.class)) {
            etcd.stop();
            await().atMost(WITHIN).untilAsserted(() -> assertThat(logs.messages(Level.WARN)).hasSize(1));
            assertThat(logs.messages(Level.WARN).get(0)).startsWith("etcd: lost the configuration at /gatehouse/config");
            assertThatThrownBy(source::read).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("etcd://" + etcd.authority() + KEY + ": cannot read (");

            etcd.launch();
            etcd.put(KEY, "v2");

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(changes).hasPositiveValue());
            assertThat(source.read()).isEqualTo("v2");
            assertThat(logs.messages(Level.WARN)).hasSize(1);
            assertThat(logs.messages(Level.INFO)).contains("etcd: following the configuration at /gatehouse/config again");
        }
    }

    @Test
    void aWriteToALostEtcdFailsWithOneLine() throws Exception {
        etcd.stop();

        assertThatThrownBy(() -> source.write("x: 1")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("etcd://" + etcd.authority() + KEY + ": cannot write (")
                .hasMessageNotContaining("\n");
    }
}
