package io.gatehouse.stats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.metrics.RouteMeters;
import io.gatehouse.proxy.GatewaySnapshot;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The last 15 minutes of every route, one sample a second ({@link RouteSeries}): what the dashboard charts. Each
 * {@link #sample} reads the routes of the configuration in force, so a reload's new routes appear and its removed
 * ones go; a route keeps its series while a reload keeps its meters. With {@code metrics.enabled: false} nothing is
 * counted and the series are empty. Sampling and reading are serialized on this object; neither runs on an event
 * loop ({@link StatsSampler} samples on its own thread, the admin API reads on its worker).
 */
public final class RouteStats {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Supplier<GatewaySnapshot> snapshots;
    private final Clock clock;
    /** The snapshot the series follow; another one is looked at for added and removed routes. */
    private GatewaySnapshot followed;
    /** In config order. */
    private Map<String, RouteSeries> series = new LinkedHashMap<>();
    /** The sequence number of the newest sample; 0 before the first. */
    private long sequence;
    private Instant sampledAt;
    private boolean enabled;

    /**
     * @param snapshots the configuration in force
     * @param clock     what a sample's time is read from
     */
    public RouteStats(Supplier<GatewaySnapshot> snapshots, Clock clock) {
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sampledAt = clock.instant();
        follow(snapshots.get()); // the first sample counts from now
    }

    /** Takes one sample of every route: call it once a second. */
    public synchronized void sample() {
        sequence++;
        sampledAt = clock.instant();
        follow(snapshots.get());
        for (RouteSeries route : series.values()) {
            route.sample(sequence);
        }
    }

    /** The series by the routes of {@code snapshot}: a route whose meters it kept keeps its series. */
    private void follow(GatewaySnapshot snapshot) {
        if (snapshot == followed) {
            return;
        }
        followed = snapshot;
        enabled = snapshot.config().metrics().enabled();
        if (!enabled) {
            series = new LinkedHashMap<>();
            return;
        }
        Map<String, RouteSeries> next = new LinkedHashMap<>();
        for (RouteConfig route : snapshot.config().routes()) {
            RouteMeters meters = snapshot.routes().get(route.id()).target().meters();
            RouteSeries kept = series.get(route.id());
            next.put(route.id(), kept != null && kept.meters() == meters ? kept : new RouteSeries(route.id(), meters));
        }
        series = next;
    }

    /**
     * The samples after sequence number {@code after}, or all of them when {@code after} is {@code null} or not
     * among the samples held (older, or from before a restart):
     * {@code {"enabled": true, "interval_seconds": 1, "capacity": 900, "from": 120, "to": 122,
     * "time": "2026-12-02T12:00:00Z", "routes": [{"id": "users", "requests": [3, 5], "errors": [0, 1],
     * "p99_ms": [4.2, 9.8]}, {"id": "idle"}]}}: {@code from} is exclusive, {@code to} inclusive and the newest,
     * {@code time} its time. A route with no request in those samples has no arrays; {@code p99_ms} is 0 where
     * {@code requests} is.
     */
    public synchronized ObjectNode toJson(Long after) {
        long oldest = Math.max(0, sequence - RouteSeries.CAPACITY);
        long from = after == null || after < oldest || after > sequence ? oldest : after;
        int length = (int) (sequence - from);
        ObjectNode body = JSON.objectNode()
                .put("enabled", enabled)
                .put("interval_seconds", 1)
                .put("capacity", RouteSeries.CAPACITY)
                .put("from", from)
                .put("to", sequence)
                .put("time", sampledAt.toString());
        ArrayNode routes = body.putArray("routes");
        for (RouteSeries route : series.values()) {
            ObjectNode node = routes.addObject().put("id", route.id());
            if (route.active() && length > 0) {
                int[] requests = new int[length];
                int[] errors = new int[length];
                float[] p99 = new float[length];
                route.copy(from, sequence, requests, errors, p99);
                node.putPOJO("requests", requests).putPOJO("errors", errors).putPOJO("p99_ms", p99);
            }
        }
        return body;
    }
}
