package io.gatehouse.etcd;

import io.etcd.jetcd.Client;
import io.gatehouse.config.EtcdEndpoints;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One jetcd {@link Client} per etcd cluster (a normalised endpoint list), shared by the configuration source and
 * every pool's discovery; owned by the server, which closes it last. A client connects lazily and reconnects by
 * itself with gRPC's backoff; each user bounds its own calls.
 */
public final class EtcdClients implements AutoCloseable {
    private final List<String> configCluster;
    private final Map<List<String>, Client> clients = new HashMap<>();
    private boolean closed;

    /** @param configCluster the cluster the configuration comes from; empty when it comes from a file */
    public EtcdClients(List<String> configCluster) {
        this.configCluster = List.copyOf(configCluster);
    }

    /**
     * The clients of a gateway whose configuration is at {@code location}: a file, or an {@code etcd://} key whose
     * cluster is then the default for discovery.
     *
     * @throws IllegalArgumentException when an etcd location is malformed
     */
    public static EtcdClients forConfigLocation(String location) {
        return EtcdLocation.isEtcd(location) ? new EtcdClients(EtcdLocation.parse(location).endpoints())
                : withoutConfigCluster();
    }

    /** No configuration in etcd: every discovery must name its cluster. */
    public static EtcdClients withoutConfigCluster() {
        return new EtcdClients(List.of());
    }

    /** The cluster the configuration comes from; empty when it comes from a file. */
    public List<String> configCluster() {
        return configCluster;
    }

    /**
     * The client of {@code endpoints} (any order or spelling {@link EtcdEndpoints#normalise} accepts).
     *
     * @throws IllegalArgumentException when they are malformed
     * @throws IllegalStateException    after {@link #close}
     */
    public synchronized Client client(List<String> endpoints) {
        Objects.requireNonNull(endpoints, "endpoints");
        if (closed) {
            throw new IllegalStateException("etcd clients closed");
        }
        return clients.computeIfAbsent(EtcdEndpoints.normalise(endpoints),
                cluster -> Client.builder().endpoints(cluster.toArray(String[]::new)).build());
    }

    @Override
    public synchronized void close() {
        closed = true;
        clients.values().forEach(Client::close);
        clients.clear();
    }
}
