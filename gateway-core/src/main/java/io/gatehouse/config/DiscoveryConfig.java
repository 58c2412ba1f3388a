package io.gatehouse.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** {@code pools.NAME.discovery}: where a pool's members come from besides its static {@code backends}. */
public sealed interface DiscoveryConfig {
    /**
     * Members are the values under {@code prefix}, each {@code {"url": "http://10.0.0.5:9001", "weight": 1}}.
     *
     * @param endpoints the etcd cluster; empty means the cluster the configuration itself comes from
     */
    record Etcd(List<String> endpoints, String prefix) implements DiscoveryConfig {
        public Etcd {
            endpoints = List.copyOf(endpoints);
        }
    }

    /**
     * Members are the addresses {@code name} resolves to; SRV records give ports and weights themselves.
     *
     * @param port    the members' port for A and AAAA records; ignored for SRV
     * @param refresh the longest time between lookups (a shorter record TTL wins)
     * @param servers the DNS servers to ask, in order; empty means the system's (resolv.conf)
     */
    record Dns(String name, int port, RecordType type, Duration refresh, List<InetSocketAddress> servers)
            implements DiscoveryConfig {
        public Dns {
            servers = List.copyOf(servers);
        }

        /** Asks the system's DNS servers. */
        public Dns(String name, int port, RecordType type, Duration refresh) {
            this(name, port, type, refresh, List.of());
        }
    }

    enum RecordType { A, AAAA, SRV }
}
