package io.gatehouse.server;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.config.TlsConfig;

import java.util.Map;
import java.util.Objects;

/**
 * The settings an installed configuration cannot change: the listeners (set up once, HTTP/2 or not, as TLS contexts
 * offer it by ALPN; for TLS, see {@link TlsConfig#restartOnly}) and whether metrics record (every meter is resolved once, recording or not). The reloader names them earlier (reload.RestartOnlyKeys); this
 * guards an install that did not come through it.
 */
final class FixedSettings {
    private FixedSettings() {}

    static void refuseChanges(GatewayConfig running, GatewayConfig next) {
        refuseChange("metrics.enabled", running.metrics().enabled(), next.metrics().enabled());
        refuseChange("server.host", running.server().host(), next.server().host());
        refuseChange("server.port", running.server().port(), next.server().port());
        refuseChange("server.http2.enabled", running.server().http2().enabled(), next.server().http2().enabled());
        Map<String, Object> nextTls = TlsConfig.restartOnly(next.server().tls());
        TlsConfig.restartOnly(running.server().tls()).forEach((key, value) -> refuseChange(key, value,
                nextTls.getOrDefault(key, "none (no TLS listener)")));
    }

    private static void refuseChange(String key, Object running, Object next) {
        if (!Objects.equals(running, next)) {
            throw new ConfigException(key + ": cannot change while running (running: " + running
                    + "; restart to change it)");
        }
    }
}
