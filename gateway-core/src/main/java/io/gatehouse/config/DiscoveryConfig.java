package io.gatehouse.config;

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
     */
    record Dns(String name, int port, RecordType type, Duration refresh) implements DiscoveryConfig {}

    enum RecordType { A, AAAA, SRV }
}
