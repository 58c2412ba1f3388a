package io.gatehouse.config;

import java.util.List;

/** Binds {@code routes[i].websocket}: {@code true}, {@code false}, or a map of limits (which turns it on). */
final class WebSocketSection {
    private static final List<String> KEYS = List.of("idle_timeout", "max_lifetime");
    private static final String EXPECTED = "expected true, false, or a map with keys: " + String.join(", ", KEYS);

    private WebSocketSection() {}

    /** The route's settings, or null when upgrades are off (absent, {@code false}, or invalid after reporting). */
    static WebSocketConfig bind(Node node) {
        if (!node.isPresent()) {
            return null;
        }
        if (node.isBooleanLike()) {
            return node.bool(false) ? WebSocketConfig.DEFAULTS : null;
        }
        if (!node.isMap()) {
            node.invalid(EXPECTED);
            return null;
        }
        node.expectMap(KEYS);
        return new WebSocketConfig(
                node.get("idle_timeout").duration(WebSocketConfig.DEFAULT_IDLE_TIMEOUT, false),
                node.get("max_lifetime").duration(WebSocketConfig.DEFAULT_MAX_LIFETIME, false));
    }
}
