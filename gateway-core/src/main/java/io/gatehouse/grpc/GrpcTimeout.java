package io.gatehouse.grpc;

import io.gatehouse.context.Rejection;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.concurrent.TimeUnit;

/**
 * The {@code grpc-timeout} request header: how long the client waits for the call, as 1 to 8 ASCII digits and a unit,
 * {@code H}ours, {@code M}inutes, {@code S}econds, {@code m}illis, {@code u} micros or {@code n}anos
 * (grpc/doc/PROTOCOL-HTTP2.md). The gateway bounds the call by it and tells the backend what is left of it.
 */
public final class GrpcTimeout {
    /** What {@link #parseNanos} returns for a value that is not a timeout. */
    public static final long MALFORMED = -1;

    /**
     * The answer to a malformed value: grpc-java's server fails such a call with INTERNAL (its header parser throws
     * and the stream is reset), and a 400 becomes INTERNAL too ({@link GrpcStatus#ofHttpStatus}).
     */
    public static final Rejection INVALID = Rejection.of(HttpResponseStatus.BAD_REQUEST, "invalid_grpc_timeout",
            "grpc-timeout must be 1 to 8 digits followed by a unit: H, M, S, m, u or n");

    private static final int MAX_DIGITS = 8;
    /** The largest value of 8 digits plus one: the point where {@link #format} moves to the next coarser unit. */
    private static final long LIMIT = 100_000_000L;

    private GrpcTimeout() {}

    /**
     * The timeout in nanoseconds (a huge one saturates at {@link Long#MAX_VALUE}), or {@link #MALFORMED}. Zero is
     * taken: the call's time is up before it starts.
     */
    public static long parseNanos(CharSequence value) {
        int digits = value.length() - 1;
        if (digits < 1 || digits > MAX_DIGITS) {
            return MALFORMED;
        }
        long amount = 0;
        for (int i = 0; i < digits; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return MALFORMED;
            }
            amount = amount * 10 + (c - '0');
        }
        TimeUnit unit = unit(value.charAt(digits));
        return unit == null ? MALFORMED : unit.toNanos(amount);
    }

    /**
     * {@code nanos} as a header value, in the finest unit that fits 8 digits (rounded down, so the backend never
     * waits longer than the gateway does).
     */
    public static String format(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("nanos: " + nanos + " (expected: >= 0)");
        }
        if (nanos < LIMIT) {
            return nanos + "n";
        }
        long micros = TimeUnit.NANOSECONDS.toMicros(nanos);
        if (micros < LIMIT) {
            return micros + "u";
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
        if (millis < LIMIT) {
            return millis + "m";
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(nanos);
        if (seconds < LIMIT) {
            return seconds + "S";
        }
        long minutes = TimeUnit.NANOSECONDS.toMinutes(nanos);
        if (minutes < LIMIT) {
            return minutes + "M";
        }
        return Math.min(TimeUnit.NANOSECONDS.toHours(nanos), LIMIT - 1) + "H";
    }

    private static TimeUnit unit(char c) {
        return switch (c) {
            case 'H' -> TimeUnit.HOURS;
            case 'M' -> TimeUnit.MINUTES;
            case 'S' -> TimeUnit.SECONDS;
            case 'm' -> TimeUnit.MILLISECONDS;
            case 'u' -> TimeUnit.MICROSECONDS;
            case 'n' -> TimeUnit.NANOSECONDS;
            default -> null;
        };
    }
}
