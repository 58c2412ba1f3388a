package io.gatehouse.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Normalised etcd client URLs: {@code http://host:port}, in a stable order, so one cluster has one client. */
public final class EtcdEndpoints {
    static final int DEFAULT_PORT = 2379;

    private EtcdEndpoints() {}

    /**
     * Parses {@code host[:port]} (a comma-separated list, as in an {@code etcd://} location).
     *
     * @throws IllegalArgumentException naming what was expected
     */
    public static List<String> fromAuthorities(String authorities) {
        List<String> urls = new ArrayList<>();
        for (String authority : authorities.split(",", -1)) {
            urls.add("http://" + authority);
        }
        return normalise(urls);
    }

    /**
     * Checks and normalises client URLs such as {@code http://127.0.0.1:2379} (port 2379 when absent).
     *
     * @throws IllegalArgumentException naming what was expected, e.g. for a TLS or malformed URL
     */
    public static List<String> normalise(List<String> urls) {
        Objects.requireNonNull(urls, "urls");
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("expected at least one etcd endpoint such as 127.0.0.1:2379");
        }
        List<String> normalised = new ArrayList<>();
        for (String url : urls) {
            if (url.regionMatches(true, 0, "https://", 0, "https://".length())) {
                throw new IllegalArgumentException("expected an http:// URL: TLS to etcd is not supported yet");
            }
            if (!url.regionMatches(true, 0, "http://", 0, "http://".length())) {
                throw new IllegalArgumentException("expected an http:// URL such as http://127.0.0.1:2379");
            }
            BackendConfig parsed = BackendUrls.parse(url, 1);
            int port = hasExplicitPort(url) ? parsed.port() : DEFAULT_PORT;
            String endpoint = "http://" + parsed.uriHost() + ":" + port;
            if (!normalised.contains(endpoint)) {
                normalised.add(endpoint);
            }
        }
        normalised.sort(null);
        return List.copyOf(normalised);
    }

    private static boolean hasExplicitPort(String url) {
        String authority = url.substring("http://".length()).split("/", 2)[0]; // BackendUrls checked the scheme
        return authority.startsWith("[") ? authority.contains("]:") : authority.contains(":");
    }
}
