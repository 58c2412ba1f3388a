package io.gatehouse.log;

import io.gatehouse.context.RequestContext;
import io.gatehouse.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.time.Instant;

/**
 * One JSON line per request on stdout. The {@code gatehouse.access} logger's level switches it on (INFO, the
 * default) or off; the lines themselves bypass the logging framework and go through {@link AccessLogWriter},
 * which formats and writes them off the event loops in batches.
 */
public final class AccessLog {
    private static final Logger switchLogger = LoggerFactory.getLogger("gatehouse.access");
    private static final AccessLogWriter WRITER =
            switchLogger.isInfoEnabled() ? new AccessLogWriter(new FileOutputStream(FileDescriptor.out)) : null;

    private AccessLog() {}

    /** Hands a finished request to the writer. The context must not change afterwards. */
    public static void record(RequestContext finished) {
        if (WRITER != null) {
            WRITER.submit(finished);
        }
    }

    /** Lines dropped because the writer's queue was full or stdout failed. */
    public static long droppedLines() {
        return WRITER == null ? 0 : WRITER.dropped();
    }

    /** The line of one finished request, without its newline. */
    public static String line(RequestContext finished) {
        StringBuilder line = new StringBuilder(256);
        format(finished, line);
        return line.toString();
    }

    static void format(RequestContext ctx, StringBuilder line) {
        line.append("{\"ts\":\"").append(Instant.ofEpochMilli(ctx.startEpochMillis())).append('"');
        line.append(",\"request_id\":");
        Json.appendString(line, ctx.requestId());
        line.append(",\"client_ip\":\"").append(ctx.clientIp()).append('"');
        if (ctx.clientAddress() != ctx.client().address()) {
            line.append(",\"peer_ip\":\"").append(ctx.client().text()).append('"');
        }
        if (ctx.consumer() != null) {
            line.append(",\"consumer\":");
            Json.appendString(line, ctx.consumer());
        }
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
