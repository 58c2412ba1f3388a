package io.gatehouse.grpc;

import io.gatehouse.config.RetryConfig;
import io.gatehouse.config.RouteConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

/**
 * A request as a gRPC call: one with a gRPC content type ({@link GrpcRequests#isGrpc}), or any request on a route
 * with {@code grpc: true}; and the deadline its {@code grpc-timeout} asks for. A plain HTTP request is {@link #NONE}.
 */
public final class GrpcCall {
    /** What {@link #timeoutNanos} is without a {@code grpc-timeout}, or for one too long to matter. */
    public static final long NO_TIMEOUT = Long.MAX_VALUE;
    /** A plain HTTP request: no gRPC call, no deadline of its own. */
    public static final GrpcCall NONE = new GrpcCall(false, NO_TIMEOUT, false);
    /** Longer than any time a gateway runs; taken as none, which also keeps deadline arithmetic from overflowing. */
    private static final long LONGEST = Long.MAX_VALUE / 4;

    private final boolean grpc;
    private final long timeoutNanos;
    private final boolean mayRetry;

    private GrpcCall(boolean grpc, long timeoutNanos, boolean mayRetry) {
        this.grpc = grpc;
        this.timeoutNanos = timeoutNanos;
        this.mayRetry = mayRetry;
    }

    /** The call a request on {@code route} is; {@link #NONE} for a plain HTTP request. */
    public static GrpcCall of(RouteConfig route, HttpRequest head) {
        if (!route.grpc() && !GrpcRequests.isGrpc(head.headers())) {
            return NONE;
        }
        String timeout = head.headers().get(GrpcHeaders.GRPC_TIMEOUT);
        long nanos = timeout == null ? NO_TIMEOUT : GrpcTimeout.parseNanos(timeout);
        RetryConfig retry = route.retry();
        return new GrpcCall(true, nanos > LONGEST ? NO_TIMEOUT : nanos,
                retry.attempts() > 1 && !retry.grpcStatusCodes().isEmpty());
    }

    /**
     * Whether the call may be tried again after a status of its route's {@code retry.grpc_status_codes}, whatever
     * its method: its body is then kept as it streams, to be replayed.
     */
    public boolean mayRetry() {
        return mayRetry;
    }

    /** Whether the request is a gRPC call. */
    public boolean isGrpc() {
        return grpc;
    }

    /** Whether {@code grpc-timeout} is malformed: the call is refused with {@link GrpcTimeout#INVALID}. */
    public boolean isTimeoutMalformed() {
        return timeoutNanos == GrpcTimeout.MALFORMED;
    }

    /** The client's deadline from the request's arrival, or {@link #NO_TIMEOUT}. */
    public long timeoutNanos() {
        return timeoutNanos;
    }

    /**
     * Prepares an attempt's request: {@code te: trailers}, which gRPC requires and the gateway strips from every
     * request as hop-by-hop, and the time the call has left, {@code nanosLeft} (the sooner of the client's deadline
     * and the route's {@code request_timeout}), as {@code grpc-timeout}, so that the backend gives up when nobody
     * waits any more. With no limit at all the call goes without one, as the client sent it; a plain HTTP request
     * is left alone.
     */
    public void prepareAttempt(HttpHeaders upstream, long nanosLeft) {
        if (!grpc) {
            return;
        }
        upstream.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
        if (nanosLeft != Long.MAX_VALUE) {
            upstream.set(GrpcHeaders.GRPC_TIMEOUT, GrpcTimeout.format(Math.max(0, nanosLeft)));
        }
    }
}
