package io.gatehouse.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicInteger;

/** The WebSocket meters of a route, registered by its {@link RouteMeters} (see docs/websocket.md). */
final class WebSocketMeters {
    static final String CONNECTIONS = "gatehouse.websocket.connections";
    static final String CLOSED = "gatehouse.websocket.closed";

    private WebSocketMeters() {}

    /** The count behind the route's gauge of open tunnels, registered now. */
    static AtomicInteger connections(MeterRegistry registry, String routeId) {
        AtomicInteger open = new AtomicInteger();
        Gauge.builder(CONNECTIONS, open, AtomicInteger::get).tag("route", routeId).strongReference(true)
                .description("WebSocket tunnels open, by route").register(registry);
        return open;
    }

    /** Tunnels of the route ended, by how ({@code client_close}, {@code idle_timeout}, ...). */
    static Counter closed(MeterRegistry registry, String routeId, String reason) {
        return Counter.builder(CLOSED).tag("route", routeId).tag("reason", reason)
                .description("WebSocket tunnels ended, by route and reason").register(registry);
    }
}
