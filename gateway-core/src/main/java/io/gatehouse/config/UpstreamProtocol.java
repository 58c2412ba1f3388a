package io.gatehouse.config;

import java.util.Locale;

/** {@code pools.NAME.protocol}: how the gateway speaks to a pool's backends. */
public enum UpstreamProtocol {
    /** HTTP/1.1 keep-alive connections, one request at a time each (the default). */
    HTTP1,
    /** HTTP/2 over TLS, negotiated with ALPN: {@code https://} backends only. */
    H2,
    /** Cleartext HTTP/2 with prior knowledge: {@code http://} backends only. */
    H2C;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a connection carries many requests at once, each on its own stream. */
    public boolean multiplexed() {
        return this != HTTP1;
    }
}
