package io.gatehouse.server;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.DiscoveryConfig;
import io.gatehouse.discovery.Discovery;
import io.gatehouse.discovery.DiscoveryContext;
import io.gatehouse.discovery.DiscoveryFactory;
import io.gatehouse.discovery.DnsDiscovery;
import io.gatehouse.discovery.EtcdDiscovery;

/** The discovery kinds this build serves: {@code dns} and {@code etcd}. */
final class StandardDiscoveries implements DiscoveryFactory {
    static final StandardDiscoveries INSTANCE = new StandardDiscoveries();

    private StandardDiscoveries() {}

    @Override
    public Discovery create(DiscoveryConfig config, DiscoveryContext context) {
        if (config instanceof DiscoveryConfig.Dns dns) {
            return new DnsDiscovery(dns, context.loops().next(), context.datagramChannel(), context.socketChannel());
        }
        if (config instanceof DiscoveryConfig.Etcd etcd) {
            return EtcdDiscovery.create(etcd, context.etcd());
        }
        throw new ConfigException("discovery of this kind is not available in this build");
    }
}
