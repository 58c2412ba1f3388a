package io.gatehouse.server;

import io.gatehouse.admin.AdminServer;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.etcd.EtcdClients;
import io.gatehouse.reload.ConfigReloader;
import io.gatehouse.reload.ConfigSource;
import io.gatehouse.reload.ConfigSources;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A running Gatehouse with a live configuration: the {@link GatewayServer}, the {@link ConfigSource} its
 * configuration comes from, the {@link ConfigReloader} that applies changes to it, and the {@link AdminServer} when
 * the configuration has {@code admin:}. Started by {@code Main} and by tests. A change the source's watch reports is
 * reloaded at once.
 */
public final class Gatehouse {
    private final GatewayServer server;
    private final ConfigSource source;
    private final ConfigReloader reloader;
    /** {@code null} when the configuration has no {@code admin:} section. */
    private final AdminServer admin;
    /** The etcd clients {@link #open} made (the source's and the discoveries'), closed last; or null. */
    private final EtcdClients etcdClients;

    /** Starts a server from a validated configuration, e.g. {@code GatewayServer::start}. */
    @FunctionalInterface
    public interface ServerStarter {
        GatewayServer start(GatewayConfig config) throws InterruptedException;
    }

    private Gatehouse(GatewayServer server, ConfigSource source, ConfigReloader reloader, AdminServer admin,
                      EtcdClients etcdClients) {
        this.server = server;
        this.source = source;
        this.reloader = reloader;
        this.admin = admin;
        this.etcdClients = etcdClients;
    }

    /**
     * Opens the configuration at {@code location} (a file path or an {@code etcd://} key, see {@link ConfigSources})
     * and {@link #start starts} a gateway from it with {@code options}; the etcd clients it makes for the source are
     * the ones pools' etcd discovery uses, and are closed when the gateway is shut down.
     *
     * @throws ConfigException when the location is malformed, cannot be read, or its document is invalid
     */
    public static Gatehouse open(String location, Map<String, String> env, StartOptions options)
            throws InterruptedException {
        Objects.requireNonNull(options, "options");
        EtcdClients clients;
        try {
            clients = EtcdClients.forConfigLocation(location);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        try {
            ConfigSource source = ConfigSources.open(location, clients);
            return start(source, env, config -> GatewayServer.start(config, options.etcdClients(clients)), clients);
        } catch (RuntimeException | InterruptedException e) {
            clients.close();
            throw e;
        }
    }

    /**
     * Reads and validates {@code source}, starts the server with it (and the admin API when configured), then
     * watches the source. On failure the source is closed and nothing is left running.
     *
     * @param env the environment {@code ${VAR}} and {@code GATEWAY_PORT} are read from, at start and on reloads
     * @throws ConfigException when the source cannot be read or its document is invalid
     * @throws CannotListenException               when the gateway's or the admin API's listener cannot be bound
     */
    public static Gatehouse start(ConfigSource source, Map<String, String> env, ServerStarter starter)
            throws InterruptedException {
        return start(source, env, starter, null);
    }

    private static Gatehouse start(ConfigSource source, Map<String, String> env, ServerStarter starter,
                                   EtcdClients etcdClients) throws InterruptedException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(starter, "starter");
        GatewayServer server = null;
        ConfigReloader reloader = null;
        AdminServer admin = null;
        try {
            String text = source.read();
            GatewayConfig config = ConfigLoader.parse(text, source.location(), env);
            server = starter.start(config);
            reloader = new ConfigReloader(source, server, text, env, server.metrics());
            admin = config.admin() == null ? null : AdminServer.start(config.admin(), server, reloader);
            String trigger = ConfigSources.watchTrigger(source);
            ConfigReloader watched = reloader;
            source.watch(() -> watched.sourceChanged(trigger));
            return new Gatehouse(server, source, reloader, admin, etcdClients);
        } catch (RuntimeException | InterruptedException e) {
            if (admin != null) {
                admin.close();
            }
            source.close();
            if (reloader != null) {
                reloader.close();
            }
            if (server != null) {
                server.shutdown(Duration.ZERO);
            }
            throw e;
        }
    }

    public GatewayServer server() {
        return server;
    }

    public ConfigSource source() {
        return source;
    }

    /** Validates, applies and reloads configurations, and keeps their history (the admin API's entry point). */
    public ConfigReloader reloader() {
        return reloader;
    }

    /** The admin API's listener, or {@code null} when the configuration has no {@code admin:} section. */
    public AdminServer admin() {
        return admin;
    }

    /** Stops watching and reloading, then shuts the server down with {@code server.shutdown_grace}. */
    public void shutdown() {
        stopReloading();
        server.shutdown();
        closeEtcdClients();
    }

    /** Stops watching and reloading, then shuts the server down within {@code grace}. */
    public void shutdown(Duration grace) {
        stopReloading();
        server.shutdown(grace);
        closeEtcdClients();
    }

    private void closeEtcdClients() {
        if (etcdClients != null) {
            etcdClients.close();
        }
    }

    /** The admin API first, so that no change starts while the rest stops. */
    private void stopReloading() {
        if (admin != null) {
            admin.close();
        }
        source.close();
        reloader.close();
    }
}
