package io.gatehouse.reload;

import io.gatehouse.config.ConfigException;
import io.gatehouse.etcd.EtcdClients;
import io.gatehouse.etcd.EtcdLocation;

import java.nio.file.Path;
import java.util.Objects;

/** Opens the {@link ConfigSource} a location names: {@code --config} and {@code GATEWAY_CONFIG} go through here. */
public final class ConfigSources {
    private ConfigSources() {}

    /**
     * A file path, or {@code etcd://host:port[,host:port]/key} on the shared client of that cluster (make
     * {@code clients} with {@link EtcdClients#forConfigLocation}). Opening reads nothing yet.
     *
     * @throws ConfigException naming the location when it cannot be a source
     */
    public static ConfigSource open(String location, EtcdClients clients) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(clients, "clients");
        if (!EtcdLocation.isEtcd(location)) { // the one place where kinds of source are told apart
            return new FileConfigSource(Path.of(location));
        }
        try {
            return EtcdConfigSource.open(EtcdLocation.parse(location), clients);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** What a reload caused by the source's watch is called in the history: {@code file}, {@code etcd}. */
    public static String watchTrigger(ConfigSource source) {
        return EtcdLocation.isEtcd(source.location()) ? "etcd" : "file";
    }
}
