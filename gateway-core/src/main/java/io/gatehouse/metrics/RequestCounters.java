package io.gatehouse.metrics;

import io.gatehouse.context.Protocol;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code gatehouse_requests_total}: the requests one route answered, by method, status class and protocol. Per
 * protocol, each method and status class has a slot in an array of the route's ({@link #slot}), its counter
 * registered on first use.
 */
final class RequestCounters {
    static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "OTHER"};
    static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    static final int PROTOCOLS = Protocol.values().length;
    /** Slots per route and protocol; every run of {@code STATUS_CLASSES.length} slots ends with the 5xx one. */
    static final int SLOTS = METHODS.length * STATUS_CLASSES.length;

    private RequestCounters() {}

    static int slot(String method, int status) {
        int s = Math.min(Math.max(status / 100, 1), 5) - 1;
        return methodIndex(method) * STATUS_CLASSES.length + s;
    }

    static Counter register(MeterRegistry registry, String routeId, Protocol protocol, int slot) {
        int s = slot % STATUS_CLASSES.length;
        int m = slot / STATUS_CLASSES.length;
        return Counter.builder(GatewayMetrics.REQUESTS).tag("route", routeId).tag("method", METHODS[m])
                .tag("status_class", STATUS_CLASSES[s]).tag("protocol", protocol.text())
                .description("Requests answered, by route, method, status class and protocol").register(registry);
    }

    private static int methodIndex(String method) {
        for (int i = 0; i < METHODS.length - 1; i++) {
            if (METHODS[i].equals(method)) {
                return i;
            }
        }
        return METHODS.length - 1;
    }
}
