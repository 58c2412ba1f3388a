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
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
