package io.gatehouse.config;

/**
 * One backend of a pool: {@code http://host[:port]} or {@code https://host[:port]}.
 *
 * @param url    the URL as written, e.g. {@code http://127.0.0.1:9001}
 * @param weight relative weight, 1..1000
 * @param tls    an {@code https://} backend: connections to it are TLS, with its pool's {@link PoolConfig#tls()}
 */
public record BackendConfig(String url, String host, int port, int weight, boolean tls) {
    /** A plain {@code http://} backend. */
    public BackendConfig(String url, String host, int port, int weight) {
        this(url, host, port, weight, false);
    }

    /** {@code host:port}, the backend's label in metrics and logs. */
    public String address() {
        return uriHost() + ":" + port;
    }

    /** The host as it appears in a URI or a {@code Host} header: an IPv6 literal in brackets. */
    public String uriHost() {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /** The port a URL of this backend's scheme implies: 443 for https, 80 for http. */
    public int defaultPort() {
        return tls ? 443 : 80;
    }
}
