package io.gatehouse.reload;

import io.gatehouse.config.ConfigException;

import java.nio.file.Path;
import java.util.Objects;

/** Opens the {@link ConfigSource} a location names: {@code --config} and {@code GATEWAY_CONFIG} go through here. */
public final class ConfigSources {
    private static final String ETCD_SCHEME = "etcd://";

    private ConfigSources() {}

    /**
     * A file path, or (when supported) {@code etcd://host:port[,host:port]/key}. Opening reads nothing yet.
     *
     * @throws ConfigException naming the location when it cannot be a source
     */
    public static ConfigSource open(String location) {
        Objects.requireNonNull(location, "location");
        if (location.startsWith(ETCD_SCHEME)) { // the one place where other kinds of source are told apart
            throw new ConfigException(location + ": etcd config sources are not supported yet");
        }
        return new FileConfigSource(Path.of(location));
    }

    /** What a reload caused by the source's watch is called in the history: {@code file}, {@code etcd}. */
    public static String watchTrigger(ConfigSource source) {
        return source.location().startsWith(ETCD_SCHEME) ? "etcd" : "file";
    }
}
