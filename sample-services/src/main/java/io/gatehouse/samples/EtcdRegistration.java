package io.gatehouse.samples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where and how a service registers itself: {@code --register etcd://host:port[,host:port]/prefix/}, the lease's
 * time to live, and the host the gateways should connect to. The key is {@code <prefix><host>:<port>}.
 *
 * @param endpoints etcd client URLs, {@code http://host:port} (port 2379 when absent)
 * @param prefix    the pool's key prefix, ending in {@code /}
 */
record EtcdRegistration(List<String> endpoints, String prefix, Duration leaseTtl, String advertiseHost) {
    static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(5);
    static final String DEFAULT_ADVERTISE_HOST = "127.0.0.1";
    private static final String SCHEME = "etcd://";

    EtcdRegistration {
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(leaseTtl, "leaseTtl");
        Objects.requireNonNull(advertiseHost, "advertiseHost");
    }

    /**
     * Parses {@code etcd://host[:port][,host[:port]]/prefix/}.
     *
     * @throws IllegalArgumentException saying what was expected
     */
    static EtcdRegistration parse(String location, Duration leaseTtl, String advertiseHost) {
        String expected = " (expected etcd://host:port[,host:port]/prefix/, such as "
                + "etcd://127.0.0.1:2379/gatehouse/pools/users/)";
        if (!location.startsWith(SCHEME)) {
            throw new IllegalArgumentException("invalid etcd location: " + location + expected);
        }
        String rest = location.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String prefix = slash < 0 ? "" : rest.substring(slash);
        if (slash <= 0 || prefix.length() < 2 || !prefix.endsWith("/")) {
            throw new IllegalArgumentException("invalid etcd location: " + location + expected);
        }
        List<String> endpoints = new ArrayList<>();
        for (String authority : rest.substring(0, slash).split(",", -1)) {
            if (authority.isEmpty() || authority.contains("@")) {
                throw new IllegalArgumentException("invalid etcd location: " + location + expected);
            }
            boolean hasPort = authority.startsWith("[") ? authority.contains("]:") : authority.contains(":");
            endpoints.add("http://" + authority + (hasPort ? "" : ":2379"));
        }
        return new EtcdRegistration(endpoints, prefix, leaseTtl, advertiseHost);
    }

    /** The key this service's member lives at. */
    String key(int port) {
        return prefix + hostForUrl() + ":" + port;
    }

    /** The member as discovery reads it: {@code {"url": "http://host:port", "weight": 1, "name": ...}}. */
    String url(int port) {
        return "http://" + hostForUrl() + ":" + port;
    }

    private String hostForUrl() {
        return advertiseHost.indexOf(':') >= 0 && !advertiseHost.startsWith("[") ? "[" + advertiseHost + "]"
                : advertiseHost;
    }
}
