package io.gatehouse.log;

import static java.util.Objects.requireNonNull;

import io.gatehouse.context.RequestContext;
import io.gatehouse.json.Json;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;

/**
 * One JSON line per request, written by the gateway that served it. The {@code gatehouse.access} logger's level
 * switches it on (INFO, the default) or off; the lines themselves bypass the logging framework and go through an
 * {@link AccessLogWriter}, which formats and writes them off the event loops in batches. Each gateway owns one
 * (opened at start, {@link #close closed} on shutdown, which writes every line still queued), so two gateways in one
 * JVM keep their lines apart.
 */
public final class AccessLog implements AccessLogSink, AutoCloseable {
    private static final String SWITCH_LOGGER = "gatehouse.access";

    /** Null when the access log is switched off. */
    private final AccessLogWriter writer;

    private AccessLog(AccessLogWriter writer) {
        this.writer = writer;
    }

    /**
     * An access log writing to {@code out}, which it never closes; one that drops every line when the
     * {@code gatehouse.access} logger is off.
     */
    public static AccessLog open(OutputStream out) {
        requireNonNull(out, "out");
        return LoggerFactory.getLogger(SWITCH_LOGGER).isInfoEnabled() ? new AccessLog(new AccessLogWriter(out))
                : new AccessLog(null);
    }

    /** Hands a finished request to the writer. The context must not change afterwards. */
    @Override
    public void record(RequestContext finished) {
        if (writer != null) {
            writer.submit(finished);
        }
    }

    /** Lines dropped because the writer's queue was full, stdout failed, or they came after {@link #close}. */
    public long droppedLines() {
        return writer == null ? 0 : writer.dropped();
    }

    /** Writes every line recorded so far, then stops the writer; waits a few seconds at most. */
    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
    }

    static void format(RequestContext ctx, StringBuilder line) {
        format(ctx, line, new UtcMillis());
    }

    /** {@code clock} is the formatting thread's own: it caches the current second's text. */
    static void format(RequestContext ctx, StringBuilder line, UtcMillis clock) {
        line.append("{\"ts\":\"");
        clock.append(ctx.startEpochMillis(), line);
        line.append('"');
        line.append(",\"request_id\":");
        Json.appendString(line, ctx.requestId());
        if (ctx.traceId() != null) { // ids of 32 and 16 lowercase hex digits: nothing to escape
            line.append(",\"trace_id\":\"").append(ctx.traceId()).append("\",\"span_id\":\"").append(ctx.spanId())
                    .append('"');
        }
        line.append(",\"client_ip\":\"").append(ctx.clientIp()).append('"');
        if (ctx.clientAddress() != ctx.client().address()) {
            line.append(",\"peer_ip\":\"").append(ctx.client().text()).append('"');
        }
        if (ctx.consumer() != null) {
            line.append(",\"consumer\":");
            Json.appendString(line, ctx.consumer());
        }
        line.append(",\"protocol\":\"").append(ctx.protocol().text()).append('"');
        line.append(",\"method\":");
        Json.appendString(line, ctx.method());
        line.append(",\"path\":");
        Json.appendString(line, ctx.path());
        line.append(",\"route\":");
        Json.appendString(line, ctx.routeId());
        line.append(",\"backend\":");
        Json.appendString(line, ctx.backend());
        line.append(",\"status\":").append(ctx.status());
        if (ctx.grpcStatus() >= 0) {
            line.append(",\"grpc_status\":").append(ctx.grpcStatus());
        }
        line.append(",\"bytes_in\":").append(ctx.bytesIn());
        line.append(",\"bytes_out\":").append(ctx.bytesOut());
        line.append(",\"duration_ms\":");
        appendMillis(line, ctx.durationNanos());
        line.append(",\"upstream_ms\":");
        long upstream = ctx.upstreamNanos();
        if (upstream < 0) {
            line.append("null");
        } else {
            appendMillis(line, upstream);
        }
        line.append(",\"attempts\":").append(ctx.attempts());
        if (ctx.breaker() != null) {
            line.append(",\"breaker\":\"").append(ctx.breaker()).append('"');
        }
        if (ctx.rateLimited()) {
            line.append(",\"rate_limited\":true");
        }
        if (ctx.aborted()) {
            line.append(",\"aborted\":true");
        }
        line.append('}');
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
