package io.gatehouse.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.testing.EtcdServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registration in a real etcd: a leased key while running, renewed, gone on a clean stop. */
class EtcdRegistrarTest {
    private static final String KEY = "/gatehouse/pools/users/127.0.0.1:9101";
    private static final Duration WITHIN = Duration.ofSeconds(10);

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(output, true, StandardCharsets.UTF_8);
    private EtcdServer etcd;

    @BeforeEach
    void start() throws Exception {
        etcd = EtcdServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        etcd.close();
    }

    private EtcdRegistration registration(int leaseTtlSeconds) {
        return EtcdRegistration.parse("etcd://" + etcd.authority() + "/gatehouse/pools/users/",
                Duration.ofSeconds(leaseTtlSeconds), "127.0.0.1");
    }

    @Test
    void putsTheMemberWithALeaseAndRevokesItOnClose() throws Exception {
        try (EtcdRegistrar registrar = EtcdRegistrar.start(registration(5), "users-1", 9101, log)) {
            await().atMost(WITHIN).until(() -> etcd.get(KEY) != null);

            assertThat(new ObjectMapper().readTree(etcd.get(KEY)).toString())
                    .isEqualTo("{\"url\":\"http://127.0.0.1:9101\",\"weight\":1,\"name\":\"users-1\"}");
            assertThat(new ObjectMapper().readTree(etcd.etcdctl("", "get", KEY, "-w", "json"))
                    .path("kvs").path(0).path("lease").asLong()).isNotZero();
            assertThat(registrar.key()).isEqualTo(KEY);
        }

        assertThat(etcd.get(KEY)).isNull();
        assertThat(output.toString(StandardCharsets.UTF_8)).isEqualTo(
                "registered " + KEY + " in etcd (lease TTL 5 s)" + System.lineSeparator()
                        + "deregistered " + KEY + " from etcd" + System.lineSeparator());
    }

    @Test
    void theLeaseIsKeptAliveBeyondItsTtl() throws Exception {
        try (EtcdRegistrar registrar = EtcdRegistrar.start(registration(2), "users-1", 9101, log)) {
            await().atMost(WITHIN).until(() -> etcd.get(KEY) != null);
            String lease = leaseOf(KEY);

            // Renewed every third of the TTL: for three TTLs on end the same lease holds the key.
            await().during(Duration.ofSeconds(6)).atMost(WITHIN).until(() -> lease.equals(leaseOf(KEY)));
        }
    }

    @Test
    void aLeaseThatExpiredIsReplacedAndTheKeyPutAgain() throws Exception {
        try (EtcdRegistrar registrar = EtcdRegistrar.start(registration(5), "users-1", 9101, log)) {
            await().atMost(WITHIN).until(() -> etcd.get(KEY) != null);
            String first = leaseOf(KEY);

            etcd.etcdctl("", "lease", "revoke", Long.toHexString(Long.parseLong(first)));
            assertThat(etcd.get(KEY)).isNull();

            await().atMost(WITHIN).until(() -> etcd.get(KEY) != null);
            assertThat(leaseOf(KEY)).isNotEqualTo(first);
            assertThat(output.toString(StandardCharsets.UTF_8)).contains("etcd lease of " + KEY + " expired; registering again");
        }
    }

    private String leaseOf(String key) throws Exception {
        return new ObjectMapper().readTree(etcd.etcdctl("", "get", key, "-w", "json")).path("kvs").path(0)
                .path("lease").asText();
    }
}
