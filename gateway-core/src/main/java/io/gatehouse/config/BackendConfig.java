package io.gatehouse.config;

/**
 * One backend of a pool. Only {@code http://host:port} URLs are accepted for now.
 *
 * @param url    the URL as written, e.g. {@code http://127.0.0.1:9001}
 * @param weight relative weight, 1..1000
 */
public record BackendConfig(String url, String host, int port, int weight) {
    /** {@code host:port}, the backend's label in metrics and logs. */
    public String address() {
        return uriHost() + ":" + port;
    }

    /** The host as it appears in a URI or a {@code Host} header: an IPv6 literal in brackets. */
    public String uriHost() {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }
}
