package io.gatehouse.proxy;

import io.gatehouse.context.ClientPeer;
import io.gatehouse.context.RequestContext;
import io.gatehouse.metrics.RouteMeters;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The record of each request on one client connection: its {@link RequestContext}, the in-flight gauge, the meters
 * it counts under (the unrouted ones until a route is chosen), and its access-log line when it ends.
 */
final class RequestAccounting {
    private final GatewayRuntime runtime;
    private RouteMeters meters;

    RequestAccounting(GatewayRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Opens the record of a request from its head, or ({@code head} null) of one refused before its head arrived,
     * which has no method or path to log but gets a request ID like any other.
     */
    RequestContext begin(GatewaySnapshot snapshot, ClientPeer peer, HttpRequest head) {
        meters = runtime.unroutedMeters();
        runtime.metrics().requestStarted();
        if (head == null) {
            return new RequestContext(peer, null, null, RequestIds.generate());
        }
        RequestContext request = new RequestContext(peer, head.method().name(),
                snapshot.security().loggableUri(head.uri()), RequestIds.of(head.headers()));
        request.clientAddress(snapshot.forwardedHeaders().clientAddress(peer, head.headers()));
        return request;
    }

    /** Logs and counts the request under its route from here on ({@code route} null: nothing changes). */
    void countUnder(RequestContext request, RouteHandle route) {
        if (route != null) {
            RouteTarget target = route.target();
            request.routeId(route.id());
            request.poolName(target.pool().name());
            meters = target.meters();
        }
    }

    /**
     * Ends a request whose connection closed before its response was complete: nginx's 499 "client closed request"
     * when no response had started; else the status that was sent, marked aborted.
     */
    void connectionLost(RequestContext request) {
        if (request.status() == 0) {
            finish(request, 499);
        } else {
            request.markAborted();
            finish(request, request.status());
        }
    }

    void finish(RequestContext done, int status) {
        done.finish(status);
        runtime.metrics().requestFinished();
        meters.record(done, status);
        runtime.accessLog().record(done);
    }
}
