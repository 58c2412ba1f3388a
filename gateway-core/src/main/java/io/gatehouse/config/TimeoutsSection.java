package io.gatehouse.config;

import java.util.List;

/** Binds the four timeout keys a pool and a route both accept. */
final class TimeoutsSection {
    static final List<String> KEYS = List.of("connect_timeout", "response_timeout", "idle_timeout", "request_timeout");

    private TimeoutsSection() {}

    /** A pool's timeouts, defaults filled in. */
    static TimeoutsConfig pool(Node pool) {
        return bind(pool, TimeoutsConfig.DEFAULTS);
    }

    /** A route's own timeouts, {@code null} where it sets none. */
    static TimeoutsConfig route(Node route) {
        return bind(route, TimeoutsConfig.INHERIT);
    }

    /** {@code defaults} itself when nothing differs: one instance for the many routes and pools that set none. */
    private static TimeoutsConfig bind(Node node, TimeoutsConfig defaults) {
        TimeoutsConfig bound = new TimeoutsConfig(
                node.get("connect_timeout").duration(defaults.connect(), false),
                node.get("response_timeout").duration(defaults.response(), false),
                node.get("idle_timeout").duration(defaults.idle(), false),
                // 0 means no overall limit, which also lets a route lift its pool's.
                node.get("request_timeout").duration(defaults.request(), true));
        return bound.equals(defaults) ? defaults : bound;
    }
}
