package io.gatehouse.reload;

import io.gatehouse.config.ConfigException;
import io.gatehouse.etcd.EtcdClients;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ConfigSourcesTest {
    @Test
    void aPathIsAFileSourceWhoseWatchIsTheFileTrigger() {
        try (EtcdClients clients = EtcdClients.forConfigLocation("/etc/gatehouse/config.yml");
             ConfigSource source = ConfigSources.open("/etc/gatehouse/config.yml", clients)) {
            assertThat(source).isInstanceOf(FileConfigSource.class);
            assertThat(source.location()).isEqualTo("/etc/gatehouse/config.yml");
            assertThat(ConfigSources.watchTrigger(source)).isEqualTo("file");
            assertThat(clients.configCluster()).isEmpty();
        }
    }

    @Test
    void anEtcdLocationIsAnEtcdSourceWhoseClusterDiscoveryDefaultsTo() {
        String location = "etcd://127.0.0.1:2379,127.0.0.2/gatehouse/config";
        try (EtcdClients clients = EtcdClients.forConfigLocation(location);
             ConfigSource source = ConfigSources.open(location, clients)) {
            assertThat(source).isInstanceOf(EtcdConfigSource.class);
            assertThat(source.location()).isEqualTo(location);
            assertThat(ConfigSources.watchTrigger(source)).isEqualTo("etcd");
            assertThat(clients.configCluster()).containsExactly("http://127.0.0.1:2379", "http://127.0.0.2:2379");
        }
    }

    @Test
    void aMalformedEtcdLocationIsOneClearError() {
        try (EtcdClients clients = EtcdClients.withoutConfigCluster()) {
            assertThatExceptionOfType(ConfigException.class)
                    .isThrownBy(() -> ConfigSources.open("etcd://127.0.0.1:2379/", clients))
                    .withMessage("etcd://127.0.0.1:2379/: the key must name one key, not a prefix (expected "
                            + "etcd://host:port[,host:port]/key, such as etcd://127.0.0.1:2379/gatehouse/config)");
        }
    }
}
