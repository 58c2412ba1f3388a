package io.gatehouse.proxy.exchange;

import io.gatehouse.config.HealthCheckConfig;
import io.gatehouse.config.PoolConfig;
import io.gatehouse.context.Rejection;
import io.gatehouse.context.RequestContext;
import io.gatehouse.proxy.RouteTarget;
import io.gatehouse.upstream.Choice;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.concurrent.TimeUnit;

/**
 * The gateway's own answers when proxying fails, in the JSON error every refusal uses. They say what kind of
 * failure it was and nothing more: never a backend's address, a pool's name or internals, or an exception's text.
 * Those details go to the log with the request ID ({@link UpstreamFailures}). Every 503 carries {@code Retry-After}.
 */
public final class UpstreamRejections {
    static final Rejection CONNECT_FAILED = badGateway("the backend could not be reached");
    static final Rejection CLOSED_BEFORE_RESPONSE = badGateway("the backend closed the connection before responding");
    static final Rejection INVALID_RESPONSE = badGateway("the backend sent an invalid response");
    /** Certificate verification or another part of the TLS handshake with an https backend failed. */
    static final Rejection TLS_FAILED = Rejection.of(HttpResponseStatus.BAD_GATEWAY, "upstream_tls_failed",
            "the backend's TLS handshake failed");
    static final Rejection RESPONSE_TIMED_OUT = Rejection.of(HttpResponseStatus.GATEWAY_TIMEOUT, "gateway_timeout",
            "the backend did not respond in time");
    static final Rejection REQUEST_TIMED_OUT = Rejection.of(HttpResponseStatus.GATEWAY_TIMEOUT, "gateway_timeout",
            "the request did not complete in time");
    /** The gateway's own connection limit to the backend (max_connections and max_pending_acquires) is reached. */
    static final Rejection POOL_BUSY = Rejection.of(HttpResponseStatus.SERVICE_UNAVAILABLE, "upstream_busy",
            "the backend is busy; try again shortly").withHeader(HttpHeaderNames.RETRY_AFTER, 1);
    private static final Rejection BULKHEAD_FULL = Rejection.of(HttpResponseStatus.SERVICE_UNAVAILABLE,
            "bulkhead_full", "every backend has as many requests in flight as it may take; try again shortly")
            .withHeader(HttpHeaderNames.RETRY_AFTER, 1);

    /** The common case (no health check, or one at least every second), shared by every such pool. */
    private static final Rejection NO_HEALTHY_BACKEND_1S = noHealthyBackend(1);

    private UpstreamRejections() {}

    /**
     * 503 {@code no_healthy_backend} of a pool, made once per route. {@code Retry-After}: the pool's health-check
     * interval in whole seconds, rounded up (a down backend can come back at the next probe), or 1 without checks.
     */
    public static Rejection noHealthyBackend(PoolConfig pool) {
        HealthCheckConfig check = pool.healthCheck();
        long seconds = check == null ? 1 : Math.max(1, ceilSeconds(check.interval().toNanos()));
        return seconds == 1 ? NO_HEALTHY_BACKEND_1S : noHealthyBackend(seconds);
    }

    private static Rejection noHealthyBackend(long seconds) {
        return Rejection.of(HttpResponseStatus.SERVICE_UNAVAILABLE, "no_healthy_backend",
                "no healthy backend is available; try again shortly").withHeader(HttpHeaderNames.RETRY_AFTER, seconds);
    }

    /**
     * Why no backend could take a request; a full bulkhead is counted, and a refusal by breakers is marked in the
     * request's access-log line.
     */
    static Rejection refusal(Choice.Unavailable unavailable, RouteTarget target, RequestContext request) {
        return switch (unavailable.reason()) {
            case NO_HEALTHY_BACKEND -> target.noHealthyBackend();
            case CIRCUIT_OPEN -> {
                request.breaker("open");
                yield circuitOpen("every backend has an open circuit breaker", unavailable);
            }
            case ROUTE_CIRCUIT_OPEN -> {
                request.breaker("open");
                yield circuitOpen("the route's circuit breaker is open", unavailable);
            }
            case BULKHEAD_FULL -> {
                target.meters().backendBulkheadRejected();
                yield BULKHEAD_FULL;
            }
        };
    }

    /** {@code Retry-After}: whole seconds, rounded up, until the first breaker lets probes through. */
    private static Rejection circuitOpen(String message, Choice.Unavailable unavailable) {
        return Rejection.of(HttpResponseStatus.SERVICE_UNAVAILABLE, "circuit_open", message).withHeader(
                HttpHeaderNames.RETRY_AFTER, Math.max(1, ceilSeconds(unavailable.retryAfterNanos())));
    }

    private static long ceilSeconds(long nanos) {
        return TimeUnit.NANOSECONDS.toSeconds(nanos + 999_999_999);
    }

    private static Rejection badGateway(String message) {
        return Rejection.of(HttpResponseStatus.BAD_GATEWAY, "bad_gateway", message);
    }
}
