package io.gatehouse.proxy;

import io.gatehouse.context.Rejection;
import io.gatehouse.context.RequestContext;
import io.gatehouse.upstream.Backend;
import io.gatehouse.upstream.Choice;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.concurrent.TimeUnit;

/** The gateway's own answers when proxying fails: what went wrong, in the JSON error every refusal uses. */
final class UpstreamRejections {
    private UpstreamRejections() {}

    static Rejection connectFailed(Backend backend, Throwable cause) {
        return badGateway("cannot connect to backend " + backend + ": " + describe(cause));
    }

    static Rejection closedBeforeResponse(Backend backend, Throwable cause) {
        return badGateway(cause == null
                ? "backend " + backend + " closed the connection before responding"
                : "connection to backend " + backend + " failed: " + describe(cause));
    }

    static Rejection invalidResponse(Backend backend, Throwable cause) {
        return badGateway("invalid response from backend " + backend + ": " + describe(cause));
    }

    static Rejection responseTimedOut(Backend backend, long millis) {
        return Rejection.of(HttpResponseStatus.GATEWAY_TIMEOUT, "gateway_timeout",
                "backend " + backend + " did not respond within " + millis + " ms");
    }

    static Rejection requestTimedOut(long millis) {
        return Rejection.of(HttpResponseStatus.GATEWAY_TIMEOUT, "gateway_timeout",
                "the request did not complete within its request_timeout of " + millis + " ms");
    }

    static Rejection poolBusy(Throwable cause) {
        return Rejection.of(HttpResponseStatus.SERVICE_UNAVAILABLE, "upstream_busy", cause.getMessage());
    }

    /**
     * Why no backend could take a request of route {@code routeId}; a full bulkhead is counted, and a refusal by
     * breakers is marked in the request's access-log line.
     */
    static Rejection refusal(Choice.Unavailable unavailable, RouteTarget target, String routeId,
                             RequestContext request) {
        switch (unavailable.reason()) {
            case CIRCUIT_OPEN, ROUTE_CIRCUIT_OPEN -> request.breaker("open");
            case BULKHEAD_FULL -> target.backendBulkheadRejections().increment();
            case NO_HEALTHY_BACKEND -> { }
        }
        String pool = target.pool().name();
        return switch (unavailable.reason()) {
            case NO_HEALTHY_BACKEND -> Rejection.of(HttpResponseStatus.SERVICE_UNAVAILABLE, "no_healthy_backend",
                    "no healthy backend in pool " + pool);
            case CIRCUIT_OPEN -> circuitOpen("every backend of pool " + pool + " has an open circuit breaker",
                    unavailable);
            case ROUTE_CIRCUIT_OPEN -> circuitOpen("the circuit breaker of route " + routeId + " is open",
                    unavailable);
            case BULKHEAD_FULL -> Rejection.of(HttpResponseStatus.SERVICE_UNAVAILABLE, "bulkhead_full",
                    "every backend of pool " + pool + " has max_concurrent_requests in flight")
                    .withHeader(HttpHeaderNames.RETRY_AFTER, 1);
        };
    }

    /** {@code Retry-After}: whole seconds, rounded up, until the first breaker lets probes through. */
    private static Rejection circuitOpen(String message, Choice.Unavailable unavailable) {
        return Rejection.of(HttpResponseStatus.SERVICE_UNAVAILABLE, "circuit_open", message).withHeader(
                HttpHeaderNames.RETRY_AFTER,
                Math.max(1, TimeUnit.NANOSECONDS.toSeconds(unavailable.retryAfterNanos() + 999_999_999)));
    }

    private static Rejection badGateway(String message) {
        return Rejection.of(HttpResponseStatus.BAD_GATEWAY, "bad_gateway", message);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
