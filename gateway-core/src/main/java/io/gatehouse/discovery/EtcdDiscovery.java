package io.gatehouse.discovery;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.DiscoveryConfig;
import io.gatehouse.etcd.EtcdClients;
import io.gatehouse.etcd.EtcdRangeWatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A pool's members from etcd: every key under a prefix holds one member ({@link EtcdMemberValue}). Read at start,
 * then watched from that revision; the listener gets the whole list, in key order, whenever it changes. A bad value
 * is logged once and skipped; a deleted key (e.g. its registrar's lease expired) removes its member. While etcd is
 * away the last members stay.
 */
public final class EtcdDiscovery implements Discovery {
    private static final Logger log = LoggerFactory.getLogger(EtcdDiscovery.class);

    private final Client client;
    private final String prefix;
    // Confined to the watch's thread.
    private final Map<String, BackendConfig> members = new TreeMap<>();
    private final Map<String, ByteSequence> loggedBadValues = new HashMap<>();
    private List<BackendConfig> reported;
    private EtcdRangeWatch watch;

    EtcdDiscovery(Client client, String prefix) {
        this.client = Objects.requireNonNull(client, "client");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    /**
     * A discovery on the shared client of the cluster {@code config} names (the configuration's when it names none).
     *
     * @throws ConfigException naming {@code etcd.endpoints} when there is no cluster to use
     */
    public static EtcdDiscovery create(DiscoveryConfig.Etcd config, EtcdClients clients) {
        List<String> endpoints = config.endpoints().isEmpty() ? clients.configCluster() : config.endpoints();
        if (endpoints.isEmpty()) {
            throw new ConfigException("etcd.endpoints: missing (expected: a list of etcd URLs such as "
                    + "http://127.0.0.1:2379; required unless the configuration itself comes from etcd)");
        }
        return new EtcdDiscovery(clients.client(endpoints), config.prefix());
    }

    @Override
    public synchronized void start(MembershipListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (watch != null) {
            throw new IllegalStateException("etcd discovery of " + prefix + " already started");
        }
        watch = new EtcdRangeWatch(client, "the pool members", prefix, true, new EtcdRangeWatch.Handler() {
            @Override
            public void snapshot(List<KeyValue> keyValues) {
                members.clear();
                keyValues.forEach(keyValue -> put(keyValue.getKey(), keyValue.getValue()));
                loggedBadValues.keySet().removeIf(key -> keyValues.stream()
                        .noneMatch(keyValue -> keyValue.getKey().toString(StandardCharsets.UTF_8).equals(key)));
                report(listener);
            }

            @Override
            public void events(List<WatchEvent> events) {
                for (WatchEvent event : events) {
                    KeyValue keyValue = event.getKeyValue();
                    if (event.getEventType() == WatchEvent.EventType.PUT) {
                        put(keyValue.getKey(), keyValue.getValue());
                    } else if (event.getEventType() == WatchEvent.EventType.DELETE) {
                        String key = keyValue.getKey().toString(StandardCharsets.UTF_8);
                        members.remove(key);
                        loggedBadValues.remove(key);
                    }
                }
                report(listener);
            }
        });
        watch.start();
    }

    private void put(ByteSequence rawKey, ByteSequence value) {
        String key = rawKey.toString(StandardCharsets.UTF_8);
        try {
            members.put(key, EtcdMemberValue.parse(value.toString(StandardCharsets.UTF_8)));
            loggedBadValues.remove(key);
        } catch (IllegalArgumentException e) {
            members.remove(key);
            if (!value.equals(loggedBadValues.put(key, value))) {
                log.warn("etcd discovery: skipping key {}: {} ({})", key, e.getMessage(), EtcdMemberValue.EXPECTED);
            }
        }
    }

    /** Tells the listener the members when they differ from what it was told last; two keys naming one address count once. */
    private void report(MembershipListener listener) {
        Map<String, BackendConfig> byAddress = new LinkedHashMap<>();
        members.values().forEach(member -> byAddress.putIfAbsent(member.address(), member));
        List<BackendConfig> current = List.copyOf(byAddress.values());
        if (!current.equals(reported)) {
            reported = current;
            listener.membersChanged(current);
        }
    }

    @Override
    public synchronized void close() {
        if (watch != null) {
            watch.close();
        }
    }
}
