package io.gatehouse.reload;

import io.gatehouse.config.ConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ConfigSourcesTest {
    @Test
    void aPathIsAFileSourceWhoseWatchIsTheFileTrigger() {
        try (ConfigSource source = ConfigSources.open("/etc/gatehouse/config.yml")) {
            assertThat(source).isInstanceOf(FileConfigSource.class);
            assertThat(source.location()).isEqualTo("/etc/gatehouse/config.yml");
            assertThat(ConfigSources.watchTrigger(source)).isEqualTo("file");
        }
    }

    @Test
    void anEtcdLocationIsNotMistakenForAFile() {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigSources.open("etcd://127.0.0.1:2379/gatehouse/config"))
                .withMessage("etcd://127.0.0.1:2379/gatehouse/config: etcd config sources are not supported yet");
    }
}
