package io.gatehouse.log;

import io.gatehouse.context.RequestContext;
import io.gatehouse.proxy.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * One JSON line per request on the {@code gatehouse.access} logger. The server's logback.xml sends that logger
 * through an asynchronous appender, so the event loop only formats the line and enqueues it.
 */
public final class AccessLog {
    private static final Logger log = LoggerFactory.getLogger("gatehouse.access");

    private AccessLog() {}

    public static void record(RequestContext ctx) {
        if (!log.isInfoEnabled()) {
            return;
        }
        log.info(format(ctx, System.nanoTime()));
    }

    static String format(RequestContext ctx, long nowNanos) {
        StringBuilder line = new StringBuilder(256);
        line.append("{\"ts\":\"").append(Instant.ofEpochMilli(ctx.startEpochMillis())).append('"');
        if (ctx.requestId() != null) {
            line.append(",\"request_id\":");
            Json.appendString(line, ctx.requestId());
        }
        line.append(",\"client_ip\":\"").append(ctx.clientAddress().getHostAddress()).append('"');
        line.append(",\"method\":");
        Json.appendString(line, ctx.method());
        line.append(",\"path\":");
        Json.appendString(line, ctx.path());
        line.append(",\"route\":");
        Json.appendString(line, ctx.routeId());
        line.append(",\"backend\":");
        Json.appendString(line, ctx.backend());
        line.append(",\"status\":").append(ctx.status());
        line.append(",\"bytes_in\":").append(ctx.bytesIn());
        line.append(",\"bytes_out\":").append(ctx.bytesOut());
        line.append(",\"duration_ms\":");
        appendMillis(line, nowNanos - ctx.startNanos());
        line.append(",\"upstream_ms\":");
        long upstream = ctx.upstreamNanos();
        if (upstream < 0) {
            line.append("null");
        } else {
            appendMillis(line, upstream);
        }
        line.append(",\"attempts\":").append(ctx.attempts());
        return line.append('}').toString();
    }

    /** Milliseconds with three decimals, without String.format. */
    private static void appendMillis(StringBuilder out, long nanos) {
        long micros = nanos / 1000;
        out.append(micros / 1000).append('.');
        long frac = micros % 1000;
        if (frac < 100) {
            out.append('0');
        }
        if (frac < 10) {
            out.append('0');
        }
        out.append(frac);
    }
}
