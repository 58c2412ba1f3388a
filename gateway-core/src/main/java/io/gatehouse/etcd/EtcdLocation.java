package io.gatehouse.etcd;

import io.gatehouse.config.EtcdEndpoints;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A configuration location {@code etcd://host:port[,host:port]/key/path}: the cluster's client endpoints (port 2379
 * when absent) and the key that holds the YAML document.
 *
 * @param text      the location as written, for log lines and the admin API
 * @param endpoints normalised client URLs, see {@link EtcdEndpoints}
 * @param key       the key, starting with {@code /}
 */
public record EtcdLocation(String text, List<String> endpoints, String key) {
    public static final String SCHEME = "etcd://";
    private static final String EXPECTED = "expected etcd://host:port[,host:port]/key, such as "
            + "etcd://127.0.0.1:2379/gatehouse/config";

    public EtcdLocation {
        endpoints = List.copyOf(endpoints);
    }

    /** Whether {@code location} names etcd rather than a file. */
    public static boolean isEtcd(String location) {
        return location.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /**
     * Parses {@code location}.
     *
     * @throws IllegalArgumentException {@code <location>: <problem> (expected: ...)}
     */
    public static EtcdLocation parse(String location) {
        Objects.requireNonNull(location, "location");
        if (!isEtcd(location)) {
            throw invalid(location, "not an etcd location");
        }
        String rest = location.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw invalid(location, slash == 0 ? "no endpoint" : "no key");
        }
        String key = rest.substring(slash);
        if (key.length() < 2 || key.endsWith("/") || key.contains("?") || key.contains("#")) {
            throw invalid(location, "the key must name one key, not a prefix");
        }
        try {
            return new EtcdLocation(location, EtcdEndpoints.fromAuthorities(rest.substring(0, slash)), key);
        } catch (IllegalArgumentException e) {
            throw invalid(location, e.getMessage().toLowerCase(Locale.ROOT));
        }
    }

    private static IllegalArgumentException invalid(String location, String problem) {
        return new IllegalArgumentException(location + ": " + problem + " (" + EXPECTED + ")");
    }

    @Override
    public String toString() {
        return text;
    }
}
