package io.gatehouse.server;

import io.gatehouse.tracing.GatewayTracing;

import java.time.Duration;

/** Stops a tracing configuration: its queued spans exported, within a bound, and its exporter closed. */
final class TracingShutdown {
    /** How long a stop may wait for the last spans to reach the receiver. */
    static final Duration FLUSH_BOUND = Duration.ofSeconds(5);

    private TracingShutdown() {}

    /** Blocks up to {@code bound}; {@code tracing} null does nothing. */
    static void now(GatewayTracing tracing, Duration bound) {
        if (tracing != null) {
            tracing.shutdown(bound);
        }
    }

    /** On a thread of its own, so that neither a reload nor an event loop waits for the receiver. */
    static void inBackground(GatewayTracing tracing) {
        if (tracing != null) {
            Thread thread = new Thread(() -> tracing.shutdown(FLUSH_BOUND), "gatehouse-tracing-stop");
            thread.setDaemon(true);
            thread.start();
        }
    }
}
