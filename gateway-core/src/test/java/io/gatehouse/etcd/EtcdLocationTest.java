package io.gatehouse.etcd;

import io.gatehouse.config.EtcdEndpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EtcdLocationTest {
    @Test
    void parsesEndpointsAndKey() {
        EtcdLocation location = EtcdLocation.parse("etcd://10.0.0.2:2379,etcd-1.internal,[::1]:12379/gatehouse/config");

        assertThat(location.endpoints()).containsExactly("http://10.0.0.2:2379", "http://[::1]:12379",
                "http://etcd-1.internal:2379");
        assertThat(location.key()).isEqualTo("/gatehouse/config");
        assertThat(location).hasToString("etcd://10.0.0.2:2379,etcd-1.internal,[::1]:12379/gatehouse/config");
    }

    @Test
    void recognisesTheSchemeInAnyCase() {
        assertThat(EtcdLocation.isEtcd("ETCD://127.0.0.1/k")).isTrue();
        assertThat(EtcdLocation.isEtcd("/etc/gatehouse/config.yml")).isFalse();
        assertThat(EtcdLocation.isEtcd("etcd.yml")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "etcd://127.0.0.1:2379         | no key",
            "etcd:///gatehouse/config      | no endpoint",
            "etcd://127.0.0.1:2379/        | the key must name one key, not a prefix",
            "etcd://127.0.0.1:2379/a/      | the key must name one key, not a prefix",
            "etcd://127.0.0.1:99999/a      | expected a port in 1..65535",
            "etcd://127.0.0.1:2379,/a      | expected a host name or ip address such as http://127.0.0.1:9001",
    })
    void rejectsWithTheProblemAndTheExpectedForm(String location, String problem) {
        assertThatThrownBy(() -> EtcdLocation.parse(location)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(location + ": " + problem + " (expected etcd://host:port[,host:port]/key, such as "
                        + "etcd://127.0.0.1:2379/gatehouse/config)");
    }

    @Test
    void oneClusterHasOneNormalisedEndpointList() {
        assertThat(EtcdEndpoints.normalise(List.of("http://B:2379/", "http://a", "http://a:2379")))
                .containsExactly("http://a:2379", "http://b:2379");
        assertThatThrownBy(() -> EtcdEndpoints.normalise(List.of("https://a:2379")))
                .hasMessage("expected an http:// URL: TLS to etcd is not supported yet");
    }
}
