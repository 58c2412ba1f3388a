package io.gatehouse.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Binds {@code pools.NAME.discovery}: exactly one of {@code etcd} or {@code dns}. */
final class DiscoverySection {
    private static final List<String> KEYS = List.of("etcd", "dns");
    private static final List<String> ETCD_KEYS = List.of("endpoints", "prefix");
    private static final List<String> DNS_KEYS = List.of("name", "port", "type", "refresh", "servers");
    private static final String SERVERS_EXPECTED = "expected a list of DNS servers such as [127.0.0.1:53]";
    private static final String ENDPOINTS_EXPECTED = "expected a list of etcd URLs such as http://127.0.0.1:2379";
    private static final String TYPE_EXPECTED = "expected one of: A, AAAA, SRV";
    private static final Duration DEFAULT_REFRESH = Duration.ofSeconds(5);

    private DiscoverySection() {}

    /** Null when absent or after reporting a problem. */
    static DiscoveryConfig bind(Node discovery) {
        if (!discovery.isPresent() || !discovery.expectMap(KEYS)) {
            return null;
        }
        Node etcd = discovery.get("etcd");
        Node dns = discovery.get("dns");
        if (etcd.isPresent() == dns.isPresent()) {
            discovery.error("expected exactly one of: etcd, dns");
            return null;
        }
        return etcd.isPresent() ? etcd(etcd) : dns(dns);
    }

    private static DiscoveryConfig etcd(Node etcd) {
        if (!etcd.expectMap(ETCD_KEYS)) {
            return null;
        }
        List<String> endpoints = endpoints(etcd.get("endpoints"));
        String prefix = etcd.get("prefix").requiredString("expected a key prefix such as /gatehouse/pools/users/");
        if (prefix != null && !prefix.startsWith("/")) {
            etcd.get("prefix").invalid("expected a key prefix starting with /, such as /gatehouse/pools/users/");
            return null;
        }
        return prefix == null ? null : new DiscoveryConfig.Etcd(endpoints, prefix);
    }

    /** Normalised ({@link EtcdEndpoints}); empty when absent, meaning the configuration's own cluster. */
    private static List<String> endpoints(Node endpoints) {
        List<String> urls = new ArrayList<>();
        for (Node element : endpoints.elements(ENDPOINTS_EXPECTED)) {
            String url = element.parse(text -> EtcdEndpoints.normalise(List.of(text)).get(0), ENDPOINTS_EXPECTED);
            if (url != null) {
                urls.add(url);
            }
        }
        return urls.isEmpty() ? List.of() : EtcdEndpoints.normalise(urls);
    }

    private static DiscoveryConfig dns(Node dns) {
        if (!dns.expectMap(DNS_KEYS)) {
            return null;
        }
        String name = dns.get("name").requiredString("expected a DNS name such as users.internal");
        DiscoveryConfig.RecordType type = dns.get("type").isPresent()
                ? dns.get("type").parse(DiscoverySection::recordType, TYPE_EXPECTED) : DiscoveryConfig.RecordType.A;
        Node portNode = dns.get("port");
        int port = 0;
        if (type == DiscoveryConfig.RecordType.SRV) {
            if (portNode.isPresent()) {
                portNode.error("not used with type SRV (the SRV records give each member's port)");
            }
        } else if (!portNode.isPresent()) {
            portNode.missing("expected the members' port, 1..65535 (required for type A and AAAA)");
        } else {
            port = portNode.integer(0, 1, 65535);
        }
        Duration refresh = dns.get("refresh").duration(DEFAULT_REFRESH, false);
        List<InetSocketAddress> servers = servers(dns.get("servers"));
        return name == null || type == null ? null : new DiscoveryConfig.Dns(name, port, type, refresh, servers);
    }

    /** Empty when absent: the system's servers. Bad elements are reported and left out. */
    private static List<InetSocketAddress> servers(Node servers) {
        List<InetSocketAddress> out = new ArrayList<>();
        if (!servers.isPresent()) {
            return out;
        }
        List<Node> elements = servers.elements(SERVERS_EXPECTED);
        if (elements.isEmpty() && servers.isList()) {
            servers.error("empty list (expected at least one DNS server, or no servers key for the system's)");
        }
        for (Node element : elements) {
            if (!element.isPresent()) {
                element.invalid(NameServers.EXPECTED);
                continue;
            }
            InetSocketAddress server = element.parse(NameServers::parse, NameServers.EXPECTED);
            if (server != null) {
                out.add(server);
            }
        }
        return out;
    }

    private static DiscoveryConfig.RecordType recordType(String text) {
        try {
            return DiscoveryConfig.RecordType.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TYPE_EXPECTED);
        }
    }
}
