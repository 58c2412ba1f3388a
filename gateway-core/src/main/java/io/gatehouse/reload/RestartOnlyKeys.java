package io.gatehouse.reload;

import io.gatehouse.config.GatewayConfig;
import io.gatehouse.config.TlsConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The keys a running gateway cannot change: what its listener was bound with, and whether it records metrics (its
 * meters are resolved once, recording or not). A reload that changes one is refused
 * with an error naming it, never applied in part or silently ignored. (The event-loop count is not a config key: it
 * is the number of processors, fixed for the process.)
 */
final class RestartOnlyKeys {
    private static final Map<String, Function<GatewayConfig, Object>> KEYS = keys();

    private RestartOnlyKeys() {}

    /**
     * One error per key {@code next} changes, e.g.
     * {@code server.port: 9090 cannot change while running (expected: 8081, the running value; restart to change it)}.
     */
    static List<String> changed(GatewayConfig running, GatewayConfig next) {
        List<String> errors = new ArrayList<>();
        KEYS.forEach((path, value) -> compare(path, value.apply(running), value.apply(next), errors));
        Map<String, Object> nextTls = TlsConfig.restartOnly(next.server().tls());
        TlsConfig.restartOnly(running.server().tls()).forEach((path, now) ->
                compare(path, now, nextTls.getOrDefault(path, "none (no TLS listener)"), errors));
        return errors;
    }

    private static void compare(String path, Object now, Object wanted, List<String> errors) {
        if (!Objects.equals(now, wanted)) {
            errors.add(path + ": " + wanted + " cannot change while running (expected: " + now
                    + ", the running value; restart Gatehouse to change it)");
        }
    }

    private static Map<String, Function<GatewayConfig, Object>> keys() {
        Map<String, Function<GatewayConfig, Object>> keys = new LinkedHashMap<>();
        keys.put("server.host", c -> c.server().host());
        keys.put("server.port", c -> c.server().port());
        // Whether the listeners speak HTTP/2: the TLS contexts offer h2 by ALPN or not. Its limits may change.
        keys.put("server.http2.enabled", c -> c.server().http2().enabled());
        // The admin API's listener; its token may change (docs/admin.md).
        keys.put("admin.address", c -> c.admin() == null ? "none (no admin API)" : c.admin().address());
        keys.put("metrics.enabled", c -> c.metrics().enabled());
        return java.util.Collections.unmodifiableMap(keys);
    }
}
